import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU use from /proc (Linux), in cores: 1.00 means one core busy for the whole interval. The machine
 * total less the server, the benchmark process and PostgreSQL's processes is whatever else ran.
 */

const TICKS_PER_S = 100;

export interface CpuUse {
  server: number;
  bench: number;
  postgres: number;
  other: number;
  machine: number;
}

/** [command name, utime + stime] of a process, or undefined once it is gone. */
function stat(pid: number | string): [string, number] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return [comm, Number(fields[11]) + Number(fields[12])];
  } catch {
    return undefined;
  }
}

function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const s = stat(pid);
    if (s?.[0] === 'postgres') ticks.set(pid, s[1]);
  }
  return ticks;
}

/** Ticks all cores spent busy since boot (everything but idle and iowait). */
function machineTicks(): number {
  const cpu = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  return cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
}

/** Starts measuring; the returned function gives the use since then. */
export function cpuMeter(serverPid?: number): () => CpuUse {
  const ticks = (pid: number | undefined) => (pid === undefined ? 0 : (stat(pid)?.[1] ?? 0));
  const start = {
    server: ticks(serverPid),
    bench: ticks(process.pid),
    postgres: postgresTicks(),
    machine: machineTicks(),
    at: performance.now(),
  };
  return () => {
    const perCore = TICKS_PER_S * ((performance.now() - start.at) / 1000);
    let postgres = 0;
    for (const [pid, now] of postgresTicks()) postgres += now - (start.postgres.get(pid) ?? 0);
    const use = {
      server: (ticks(serverPid) - start.server) / perCore,
      bench: (ticks(process.pid) - start.bench) / perCore,
      postgres: postgres / perCore,
      machine: (machineTicks() - start.machine) / perCore,
    };
    return { ...use, other: Math.max(0, use.machine - use.server - use.bench - use.postgres) };
  };
}

/** How busy the machine is with nothing of the benchmark running, over `ms`. */
export async function backgroundLoad(ms = 3000): Promise<CpuUse> {
  const meter = cpuMeter();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return meter();
}
