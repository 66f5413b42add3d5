/*
 * npm run bench:client [-- --runs 10]
 *
 * 1. Production bundle sizes, gzipped: for each page, every script, preloaded chunk and stylesheet
 *    its HTML loads. The map's county shapes come from the API (/api/geo/CA/counties) and are
 *    reported apart.
 * 2. Time to first render of the dashboard on the demo petition in headless Chromium: from the start
 *    of navigation until the progress heading is on screen, and until the county map is drawn; with a
 *    cold cache (a new browser profile per run) and a warm one (the same page loaded again).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CLIENT_DIST } from '../server/web/client';
import { DEMO_SLUG, openDemo } from './browser/demo';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(args.runs);

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function bundleOf(page: string) {
  const html = readFileSync(path.join(CLIENT_DIST, `${page}.html`), 'utf8');
  const files = [
    ...new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string)),
  ];
  let raw = 0;
  let zipped = gz(Buffer.from(html));
  for (const file of files) {
    const bytes = readFileSync(path.join(CLIENT_DIST, file));
    raw += bytes.length;
    zipped += gz(bytes);
  }
  return { page, files: files.length, raw, zipped };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return `median ${Math.round(at(0.5))} ms, p90 ${Math.round(at(0.9))} ms, max ${Math.round(s.at(-1) as number)} ms`;
};

/** Marks, in the page's own clock (ms since navigation start), when the heading and the map appear. */
const MARKER = `
  new MutationObserver((_, observer) => {
    const t = performance.now();
    if (!window.__heading && document.getElementById('progress-title')) window.__heading = t;
    if (!window.__map && document.querySelector('.county-map path')) { window.__map = t; observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

async function main() {
  console.log('## Bundle sizes (gzip -9)\n');
  console.log('| page | files | raw | gzipped |\n|---|---|---|---|');
  for (const page of ['dashboard', 'collect', 'organize', 'index']) {
    const b = bundleOf(page);
    console.log(`| ${page} | ${b.files} | ${kb(b.raw)} | ${kb(b.zipped)} |`);
  }

  const demo = await openDemo();
  try {
    const shapes = await fetch(`${demo.url}/api/geo/CA/counties`).then((r) => r.arrayBuffer());
    console.log(
      `\nCounty shapes for CA (from the API, not in the bundle): ${kb(shapes.byteLength)} raw, ${kb(gz(Buffer.from(shapes)))} gzipped`,
    );

    const cold = { heading: [] as number[], map: [] as number[] };
    const warm = { heading: [] as number[], map: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const context = await demo.browser.newContext({
        baseURL: demo.url,
        viewport: { width: 1280, height: 900 },
      });
      await context.addInitScript(MARKER);
      const page = await context.newPage();
      for (const into of [cold, warm]) {
        await page.goto(`/p/${DEMO_SLUG}`);
        await page.waitForFunction(() => (globalThis as unknown as { __map?: number }).__map !== undefined);
        const t = (await page.evaluate(() => {
          const w = globalThis as unknown as { __heading: number; __map: number };
          return { heading: w.__heading, map: w.__map };
        })) as { heading: number; map: number };
        into.heading.push(t.heading);
        into.map.push(t.map);
      }
      await context.close();
    }
    console.log(`\n## Dashboard, time to first render (${RUNS} runs, demo petition, headless Chromium)\n`);
    console.log(`- cold cache, progress on screen: ${stats(cold.heading)}`);
    console.log(`- cold cache, county map drawn: ${stats(cold.map)}`);
    console.log(`- warm cache, progress on screen: ${stats(warm.heading)}`);
    console.log(`- warm cache, county map drawn: ${stats(warm.map)}`);
  } finally {
    await demo.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
