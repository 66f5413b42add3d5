/*
 * A separate load process for `npm run bench -- --scale`: holds N open progress streams
 * (GET /api/petitions/:id/progress/stream, Server-Sent Events) over raw sockets and notes when each
 * `progress` event arrives on each stream, with the signer count (totals.raw) it carries. Driven by
 * the benchmark over IPC (see streams.ts): open, latencies, close.
 */
import { connect, type Socket } from 'node:net';

const now = () => performance.timeOrigin + performance.now();
/** totals.raw is within the first few hundred bytes of an event (petition, asOf, then totals). */
const HEAD_BYTES = 1024;
const RAW = /"totals":\{[^}]*?"raw":(\d+)/;
const NL = 0x0a;

interface Stream {
  socket: Socket;
  /** The first bytes of the event being received. */
  head: string;
  lastByte: number;
  /** [totals.raw, arrival in ms since the epoch] of every progress event received. */
  events: number[];
  opened?: () => void;
}

const streams: Stream[] = [];
let failed = 0;
let closedEarly = 0;
let closing = false;

function eventEnded(s: Stream): void {
  const m = RAW.exec(s.head);
  s.head = '';
  if (!m) return; // the retry line, a heartbeat
  s.events.push(Number(m[1]), now());
  if (s.opened) {
    s.opened();
    s.opened = undefined;
  }
}

function received(s: Stream, chunk: Buffer): void {
  let from = 0;
  if (s.lastByte === NL && chunk[0] === NL) {
    eventEnded(s);
    from = 1;
  }
  for (;;) {
    const end = chunk.indexOf('\n\n', from);
    const upTo = end < 0 ? chunk.length : end;
    if (s.head.length < HEAD_BYTES && upTo > from) {
      s.head += chunk.toString('latin1', from, Math.min(upTo, from + HEAD_BYTES - s.head.length));
    }
    if (end < 0) break;
    eventEnded(s);
    from = end + 2;
  }
  s.lastByte = chunk[chunk.length - 1] ?? 0;
}

function openOne(host: string, port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const s: Stream = { socket, head: '', lastByte: 0, events: [], opened: resolve };
    socket.setNoDelay(true);
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => received(s, chunk));
    socket.on('error', () => {
      if (s.opened) {
        failed++;
        s.opened = undefined;
        resolve();
      }
    });
    socket.on('close', () => {
      if (!closing) closedEarly++;
      if (s.opened) {
        failed++;
        s.opened = undefined;
        resolve();
      }
    });
    streams.push(s);
  });
}

async function open(url: string, n: number, concurrency: number): Promise<void> {
  const u = new URL(url);
  const started = now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await openOne(u.hostname, Number(u.port), u.pathname);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  process.send?.({
    type: 'opened',
    open: streams.length - failed - closedEarly,
    failed,
    closedEarly,
    seconds: (now() - started) / 1000,
  });
}

interface Change {
  raw: number;
  at: number;
}

/**
 * For each change and each stream, the time from the change's 201 to the first event on that stream
 * that counts it (totals.raw at least the count after the change).
 */
function latencies(changes: Change[]): void {
  const all: number[] = [];
  const perChange: { p50: number; max: number; missing: number }[] = [];
  let missing = 0;
  for (const c of changes) {
    const these: number[] = [];
    let miss = 0;
    for (const s of streams) {
      let found = -1;
      for (let i = 0; i < s.events.length; i += 2) {
        if ((s.events[i] as number) >= c.raw) {
          found = s.events[i + 1] as number;
          break;
        }
      }
      if (found < 0) miss++;
      else these.push(found - c.at);
    }
    these.sort((a, b) => a - b);
    perChange.push({
      p50: these[Math.floor(these.length / 2)] ?? NaN,
      max: these[these.length - 1] ?? NaN,
      missing: miss,
    });
    missing += miss;
    for (const t of these) all.push(t);
  }
  all.sort((a, b) => a - b);
  const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))] ?? NaN;
  process.send?.({
    type: 'latencies',
    samples: all.length,
    missing,
    min: all[0] ?? NaN,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: all[all.length - 1] ?? NaN,
    perChange,
    closedEarly,
  });
}

process.on(
  'message',
  (m: { cmd: string; url?: string; n?: number; concurrency?: number; changes?: Change[] }) => {
    if (m.cmd === 'open') void open(m.url as string, m.n as number, m.concurrency ?? 100);
    if (m.cmd === 'latencies') latencies(m.changes ?? []);
    if (m.cmd === 'close') {
      closing = true;
      for (const s of streams) s.socket.destroy();
      process.send?.({ type: 'closed' }, () => process.exit(0));
    }
  },
);
process.on('disconnect', () => process.exit(0));
