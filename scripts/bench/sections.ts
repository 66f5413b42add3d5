import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import { countyPicker, seededRandom, syntheticSigner } from '../../server/demo/synthetic';
import type { BenchPetition, County } from './api';
import { acknowledged, itemsNot201 } from './cannon';

/*
 * Paper sections for `npm run bench -- --sections`: issue them through the API, then enter signers
 * on them (sectionNumber and line, one signer per line, the signer of the section's county) in
 * 1,000-signer batches.
 */

export interface IssuedSection {
  number: number;
  countyFips: string;
}

export interface Issuing {
  sections: IssuedSection[];
  requests: number;
  seconds: number;
  /** Per request, in ms. */
  p50: number;
  max: number;
}

/**
 * Issues `total` sections with POST /api/petitions/:id/sections, at most `perRequest` a request, in
 * counties drawn in proportion to population, one request after another (an organizer at work).
 */
export async function issueSections(
  base: string,
  token: string,
  petition: BenchPetition,
  total: number,
  perRequest = 500,
): Promise<Issuing> {
  const rng = seededRandom(424242);
  const pick = countyPicker(petition.counties, 'CA');
  const perCounty = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    const fips = pick(rng).fips;
    perCounty.set(fips, (perCounty.get(fips) ?? 0) + 1);
  }
  const sections: IssuedSection[] = [];
  const times: number[] = [];
  const started = performance.now();
  for (const [countyFips, count] of perCounty) {
    for (let left = count; left > 0; left -= perRequest) {
      const t = performance.now();
      const res = await fetch(`${base}/api/petitions/${petition.id}/sections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ countyFips, count: Math.min(left, perRequest) }),
      });
      const text = await res.text();
      times.push(performance.now() - t);
      if (res.status !== 201) throw new Error(`issuing sections: expected 201, got ${res.status}: ${text}`);
      const { items } = JSON.parse(text) as { items: IssuedSection[] };
      for (const s of items) sections.push({ number: s.number, countyFips: s.countyFips });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    sections,
    requests: times.length,
    seconds,
    p50: times[Math.floor(times.length / 2)] ?? 0,
    max: times[times.length - 1] ?? 0,
  };
}

/**
 * POST …/signatures/batch on sections: each batch is 100 sections × 10 lines (a data-entry team
 * typing sheets), the next batch the next 100 sections; once every section has 10 lines, the next
 * 10 lines of each. Never the same line twice.
 */
export function sectionBatchIntake(
  counties: County[],
  sections: IssuedSection[],
  size: number,
): autocannon.Request[] {
  const rng = seededRandom(777);
  const byFips = new Map(counties.map((c) => [c.fips, c]));
  const perSection = 10;
  const sectionsPerBatch = size / perSection;
  let batch = 0;
  const slot = (b: number, j: number) => {
    const g = b * sectionsPerBatch + Math.floor(j / perSection);
    const section = sections[g % sections.length] as IssuedSection;
    const round = Math.floor(g / sections.length);
    return { section, line: round * perSection + (j % perSection) + 1 };
  };
  return [
    {
      setupRequest: (req) => {
        const b = batch++;
        const signatures = Array.from({ length: size }, (_, j) => {
          const { section, line } = slot(b, j);
          const county = byFips.get(section.countyFips) as County;
          return {
            idempotencyKey: randomUUID(),
            ...syntheticSigner(rng, county),
            sectionNumber: section.number,
            line,
          };
        });
        return { ...req, body: JSON.stringify({ signatures }) };
      },
      onResponse: (status, body) => {
        const stored = status === 200 ? countOf(body, '"status":201') : 0;
        acknowledged.signers += stored;
        itemsNot201.n += size - stored;
      },
    },
  ];
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
