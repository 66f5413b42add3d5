import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { countyPicker, seededRandom, syntheticSigner } from '../../server/demo/synthetic';
import type { County } from './api';
import { cpuMeter, type CpuUse } from './cpu';

export interface Measurement {
  name: string;
  connections: number;
  reqPerSec: number;
  /** Signers stored per second (intake only). */
  signersPerSec?: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  cpu: CpuUse;
  /** CPU time the server process spent per request, in milliseconds. */
  serverMsPerRequest: number;
  /** Batch items answered with anything but 201 in the measured run. */
  itemsNot201?: number;
}

/** Signers the server acknowledged (201 or 200) during every run, warm-ups included. */
export const acknowledged = { signers: 0 };
/** Batch items answered with anything but 201 since the last reset. */
const itemsNot201 = { n: 0 };

export interface RunOptions {
  name: string;
  url: string;
  connections: number;
  duration: number;
  serverPid: number;
  /** Where a `top` snapshot taken half-way through the run is written. */
  topFile: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
  signersPerRequest?: number;
}

/** A 2-second warm-up, then the measured run, with CPU use sampled from /proc over the run. */
export async function measure(o: RunOptions): Promise<Measurement> {
  const base = {
    url: o.url,
    connections: o.connections,
    method: o.method ?? 'GET',
    headers: o.headers,
    requests: o.requests,
    timeout: 30,
  };
  await autocannon({ ...base, duration: 2 });
  const meter = cpuMeter(o.serverPid);
  const snapshot = setTimeout(
    () => {
      execFile('top', ['-b', '-n1', '-w', '160'], (_err, out) =>
        writeFileSync(o.topFile, out.split('\n').slice(0, 20).join('\n')),
      );
    },
    (o.duration * 1000) / 2,
  );
  itemsNot201.n = 0;
  const r = await autocannon({ ...base, duration: o.duration });
  clearTimeout(snapshot);
  const cpu = meter();
  return {
    name: o.name,
    connections: o.connections,
    reqPerSec: r.requests.average,
    ...(o.signersPerRequest ? { signersPerSec: r.requests.average * o.signersPerRequest } : {}),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors, // timeouts included
    non2xx: r.non2xx,
    cpu,
    serverMsPerRequest: (1000 * cpu.server * r.duration) / Math.max(1, r.requests.total),
    ...(o.signersPerRequest && o.signersPerRequest > 1 ? { itemsNot201: itemsNot201.n } : {}),
  };
}

let seed = 0;

/** Each request stream gets its own seed, so no two runs send the same people. */
function signerFactory(counties: County[]) {
  const rng = seededRandom(++seed);
  const pick = countyPicker(counties, 'CA');
  return () => syntheticSigner(rng, pick(rng));
}

/** POST …/signatures: a new Idempotency-Key and a new signer on every request. */
export function singleIntake(counties: County[]): autocannon.Request[] {
  const next = signerFactory(counties);
  return [
    {
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'idempotency-key': randomUUID() },
        body: JSON.stringify(next()),
      }),
      onResponse: (status) => {
        if (status === 201 || status === 200) acknowledged.signers++;
      },
    },
  ];
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** POST …/signatures/batch: `size` new signers per request, each with its own idempotencyKey. */
export function batchIntake(counties: County[], size: number): autocannon.Request[] {
  const next = signerFactory(counties);
  return [
    {
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          signatures: Array.from({ length: size }, () => ({ idempotencyKey: randomUUID(), ...next() })),
        }),
      }),
      onResponse: (status, body) => {
        const stored = status === 200 ? countOf(body, '"status":201') : 0;
        acknowledged.signers += stored;
        itemsNot201.n += size - stored;
      },
    },
  ];
}
