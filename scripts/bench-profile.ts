/*
 * npm run bench:profile -- PROFILE.cpuprofile [--report bench-results/bench-STAMP.json] [--run NAME]
 *                          [--top 30] [--match TEXT]
 *
 * Reads a V8 CPU profile written by the server under `npm run bench -- --profile` and prints where
 * its time went: self time by function (with file:line), total (inclusive) time by package or
 * folder, and idle and garbage collection. With --report and --run, only the samples taken during
 * that measured run (its `window`, in the profile's own monotonic clock) are counted, so the profile
 * of a whole benchmark can be read run by run. --match TEXT adds the inclusive share of every
 * function whose name or file contains TEXT.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    report: { type: 'string' },
    run: { type: 'string' },
    top: { type: 'string', default: '30' },
    match: { type: 'string', multiple: true },
  },
});
const file = positionals[0];
if (!file) throw new Error('usage: npm run bench:profile -- PROFILE.cpuprofile [--report JSON --run NAME]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

let window: [number, number] = [profile.startTime, profile.endTime];
if (args.run) {
  if (!args.report) throw new Error('--run needs --report (the bench-*.json of the same benchmark)');
  const found: { name: string; window: [number, number] }[] = [];
  const walk = (x: unknown) => {
    if (!x || typeof x !== 'object') return;
    const o = x as { name?: unknown; window?: unknown };
    if (typeof o.name === 'string' && Array.isArray(o.window)) found.push(o as never);
    for (const v of Object.values(o)) walk(v);
  };
  walk(JSON.parse(readFileSync(args.report, 'utf8')));
  const match = found.filter((m) => m.name === args.run);
  if (match.length !== 1) {
    throw new Error(
      `--run: ${match.length} runs named "${args.run}"; runs: ${found.map((m) => m.name).join('; ')}`,
    );
  }
  window = (match[0] as { window: [number, number] }).window;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const where = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return `npm:${nm[1]}`;
  if (url.startsWith('node:') || !url) return url || '(native)';
  const parts = url.split(path.sep);
  const i = parts.lastIndexOf('server');
  return i >= 0 ? parts.slice(i, i + 2).join('/') : path.basename(url);
};
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${where(n)}:${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;

const self = new Map<string, number>();
const inclusiveGroup = new Map<string, number>();
const inclusiveMatch = new Map<string, number>();
let total = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < window[0] || t > window[1]) continue;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const leaf = byId.get(profile.samples[i] as number) as Node;
  total += dt;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  const groups = new Set<string>();
  const matched = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id) as Node;
    groups.add(where(n));
    for (const m of args.match ?? []) {
      if (n.callFrame.functionName.includes(m) || n.callFrame.url.includes(m))
        matched.add(`${m}: ${label(n)}`);
    }
  }
  for (const g of groups) inclusiveGroup.set(g, (inclusiveGroup.get(g) ?? 0) + dt);
  for (const m of matched) inclusiveMatch.set(m, (inclusiveMatch.get(m) ?? 0) + dt);
}

const pct = (x: number) => `${((100 * x) / Math.max(1, total)).toFixed(1).padStart(5)} %`;
const top = Number(args.top);
const print = (title: string, m: Map<string, number>, limit = top) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, limit))
    console.log(`${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`${file}${args.run ? `, run "${args.run}"` : ''}: ${(total / 1e6).toFixed(2)} s of samples`);
print('Self time by function', self);
print('Inclusive time by package or server folder', inclusiveGroup);
if (inclusiveMatch.size) print('Inclusive time of matching functions', inclusiveMatch, 100);
