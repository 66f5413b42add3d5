import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU use from /proc (Linux), in cores: 1.00 means one core busy for the whole interval. The machine
 * total less the server, the benchmark process, its helper processes and PostgreSQL's processes is
 * whatever else ran.
 */

const TICKS_PER_S = 100;

export interface CpuUse {
  /** The server process and its children (the workers of WEB_CONCURRENCY). */
  server: number;
  bench: number;
  /** The benchmark's helper processes (the process holding the open streams), when there are any. */
  helpers: number;
  postgres: number;
  other: number;
  machine: number;
}

interface Stat {
  comm: string;
  ppid: number;
  ticks: number;
}

/** Command name, parent and utime + stime of a process, or undefined once it is gone. */
function stat(pid: number | string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function allProcesses(): Map<number, Stat> {
  const all = new Map<number, Stat>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const s = stat(pid);
    if (s) all.set(Number(pid), s);
  }
  return all;
}

/** A process and all its descendants. */
export function processTree(root: number, all = allProcesses()): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, s] of all) if (s.ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Resident memory of a process and its descendants, in bytes (VmRSS from /proc). */
export function rssOf(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb * 1024;
}

/** Ticks all cores spent busy since boot (everything but idle and iowait). */
function machineTicks(): number {
  const cpu = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  return cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
}

type Ticks = Map<number, number>;

function sample(serverPid: number | undefined, helperPids: number[]) {
  const all = allProcesses();
  const pick = (pids: number[]): Ticks => new Map(pids.map((p) => [p, all.get(p)?.ticks ?? 0]));
  const postgres = [...all].filter(([, s]) => s.comm === 'postgres').map(([pid]) => pid);
  return {
    server: pick(serverPid === undefined ? [] : processTree(serverPid, all)),
    bench: pick([process.pid]),
    helpers: pick(helperPids.flatMap((p) => processTree(p, all))),
    postgres: pick(postgres),
    machine: machineTicks(),
    at: performance.now(),
  };
}

/** Ticks spent since `before` by the processes of `after` (a process that started meanwhile counts in full). */
const since = (before: Ticks, after: Ticks) =>
  [...after].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0);

/**
 * Starts measuring; the returned function gives the use since then. The server counts with its
 * children; `helperPids` are the benchmark's other processes (each with its children).
 */
export function cpuMeter(serverPid?: number, helperPids: number[] = []): () => CpuUse {
  const start = sample(serverPid, helperPids);
  return () => {
    const end = sample(serverPid, helperPids);
    const perCore = TICKS_PER_S * ((end.at - start.at) / 1000);
    const use = {
      server: since(start.server, end.server) / perCore,
      bench: since(start.bench, end.bench) / perCore,
      helpers: since(start.helpers, end.helpers) / perCore,
      postgres: since(start.postgres, end.postgres) / perCore,
      machine: (end.machine - start.machine) / perCore,
    };
    return {
      ...use,
      other: Math.max(0, use.machine - use.server - use.bench - use.helpers - use.postgres),
    };
  };
}

/** How busy the machine is with nothing of the benchmark running, over `ms`. */
export async function backgroundLoad(ms = 3000): Promise<CpuUse> {
  const meter = cpuMeter();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return meter();
}
