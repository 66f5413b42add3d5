import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { countyPicker, seededRandom, syntheticSigner } from '../../server/demo/synthetic';
import type { County } from './api';
import { rssOf } from './cpu';

/*
 * The open-streams scenario of `npm run bench -- --scale`: a separate process (stream-client.ts) holds
 * N progress streams of the public petition, while the benchmark records signers one at a time and
 * notes when each 201 arrived; the load process notes when each stream got the event counting it.
 */

export interface Latencies {
  samples: number;
  missing: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  perChange: { p50: number; max: number; missing: number }[];
  closedEarly: number;
}

export interface StreamHolder {
  pid: number;
  open(
    url: string,
    n: number,
  ): Promise<{ open: number; failed: number; closedEarly: number; seconds: number }>;
  latencies(changes: Change[]): Promise<Latencies>;
  close(): Promise<void>;
}

export interface Change {
  /** totals.raw once this signer is counted. */
  raw: number;
  /** When its 201 arrived, in ms since the epoch (performance.timeOrigin + performance.now()). */
  at: number;
}

export const now = () => performance.timeOrigin + performance.now();

export function startStreamHolder(root: string): StreamHolder {
  const child: ChildProcess = fork(path.join(root, 'scripts', 'bench', 'stream-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null) => reject(new Error(`the stream holder exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return {
    pid: child.pid as number,
    open: (url, n) => {
      const done = reply<{ open: number; failed: number; closedEarly: number; seconds: number }>('opened');
      child.send({ cmd: 'open', url, n, concurrency: 100 });
      return done;
    },
    latencies: (changes) => {
      const done = reply<Latencies>('latencies');
      child.send({ cmd: 'latencies', changes });
      return done;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ cmd: 'close' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Records one new signer every `everyMs` until `stop()` resolves true, each through
 * POST /signatures; returns the changes with the count each one brings progress to.
 */
export function pacedIntake(o: {
  url: string;
  token: string;
  counties: County[];
  rawBefore: number;
  everyMs: number;
  seed: number;
}): { stop: () => Promise<Change[]> } {
  const rng = seededRandom(o.seed);
  const pick = countyPicker(o.counties, 'CA');
  const changes: Change[] = [];
  let raw = o.rawBefore;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const started = now();
      const res = await fetch(o.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${o.token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(syntheticSigner(rng, pick(rng))),
      });
      const at = now();
      await res.text();
      if (res.status !== 201) throw new Error(`paced intake: expected 201, got ${res.status}`);
      changes.push({ raw: ++raw, at });
      await sleep(Math.max(0, o.everyMs - (now() - started)));
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return changes;
    },
  };
}

export const rss = rssOf;
