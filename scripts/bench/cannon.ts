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
  /** Seconds the measured run took. */
  seconds: number;
  errors: number;
  non2xx: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  cpu: CpuUse;
  /** CPU time the server process (with its workers) spent per request, in milliseconds. */
  serverMsPerRequest: number;
  /** Batch items answered with anything but 201 in the measured run. */
  itemsNot201?: number;
  /**
   * When the measured run began and ended, in microseconds of CLOCK_MONOTONIC (process.hrtime), the
   * clock of V8's CPU profiles: `npm run bench:profile` picks a run's samples out of a profile by it.
   */
  window: [number, number];
}

/** Signers the server acknowledged (201 or 200) during every run, warm-ups included. */
export const acknowledged = { signers: 0 };
/** Batch items answered with anything but 201 since the last reset. */
export const itemsNot201 = { n: 0 };

export interface RunOptions {
  name: string;
  url: string;
  connections: number;
  duration: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  /** Seconds of warm-up before the measured run (2 unless told). */
  warmup?: number;
  serverPid: number;
  /** The benchmark's other processes, whose CPU is reported apart. */
  helperPids?: number[];
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
  const warmup = o.warmup ?? 2;
  if (warmup > 0) await autocannon({ ...base, duration: warmup });
  const meter = cpuMeter(o.serverPid, o.helperPids);
  const expected = o.amount ? o.amount / (o.connections * 50) : o.duration;
  const snapshot = setTimeout(
    () => {
      execFile('top', ['-b', '-n1', '-w', '160'], (_err, out) =>
        writeFileSync(o.topFile, out.split('\n').slice(0, 20).join('\n')),
      );
    },
    (expected * 1000) / 2,
  );
  itemsNot201.n = 0;
  const from = Number(process.hrtime.bigint() / 1000n);
  const r = await autocannon({ ...base, ...(o.amount ? { amount: o.amount } : { duration: o.duration }) });
  const to = Number(process.hrtime.bigint() / 1000n);
  clearTimeout(snapshot);
  const cpu = meter();
  // autocannon's duration is in seconds; over a fixed amount the mean of per-second samples would
  // count the last, partial second as a whole one.
  const seconds = r.duration;
  const reqPerSec = o.amount ? r.requests.total / seconds : r.requests.average;
  const statuses = Object.fromEntries(
    Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, (v as { count: number }).count]),
  );
  return {
    name: o.name,
    connections: o.connections,
    reqPerSec,
    ...(o.signersPerRequest ? { signersPerSec: reqPerSec * o.signersPerRequest } : {}),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    seconds,
    errors: r.errors, // timeouts included
    non2xx: r.non2xx,
    statuses,
    cpu,
    serverMsPerRequest: (1000 * cpu.server * seconds) / Math.max(1, r.requests.total),
    ...(o.signersPerRequest && o.signersPerRequest > 1 ? { itemsNot201: itemsNot201.n } : {}),
    window: [from, to],
  };
}

/**
 * GET with If-None-Match set to the ETag of the last full answer: a client (or a CDN edge) revalidating
 * what it holds. A 200 (the document changed, or the cached one was recomputed) updates the ETag held.
 */
export function revalidating(initialEtag: string): autocannon.Request[] {
  let etag = initialEtag;
  return [
    {
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'if-none-match': etag } }),
      onResponse: (status, _body, _context, headers) => {
        // autocannon keeps the header names as the server spelled them ("ETag").
        const h = Object.entries((headers ?? {}) as Record<string, string>);
        const fresh = h.find(([name]) => name.toLowerCase() === 'etag')?.[1];
        if (status === 200 && fresh) etag = fresh;
      },
    },
  ];
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
