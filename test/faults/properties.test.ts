import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  matchKey,
  normalizeAddress,
  normalizeName,
  normalizeText,
  normalizeZip,
  type PersonFields,
} from '../../server/signatures/normalize';
import { talliesCsv } from '../../server/tallies/csv';
import { buildProgress, type ProgressPetition } from '../../server/tallies/progress';
import type { StatusCounts, TallySnapshot } from '../../server/tallies/store';
import { SAMPLE_HEADER, sampleCsv } from '../../server/verification/sample-csv';
import { projectCounty, projectSample, sampleSizeFor } from '../../server/verification/projection';
import type { SampleDocument } from '../../server/verification/samples';
import { useTestApp } from '../support/app';
import { makeUser } from '../support/factories';
import {
  FORMULA_START,
  addressWord,
  anyText,
  cellText,
  phrase,
  progressInput,
  retyped,
  sampleCounty,
  swapAsciiCase,
  word,
} from './fuzz/arbitraries';
import { runScenario, scenarios, type Crew } from './fuzz/interleavings';
import * as oracle from './fuzz/oracles';

const NOW = new Date('2026-11-21T12:00:00Z');

describe('name and address normalization', () => {
  it('normalizing a normalized value changes nothing, for any text', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        expect(normalizeText(normalizeText(a))).toBe(normalizeText(a));
        expect(normalizeName(normalizeName(a))).toBe(normalizeName(a));
        expect(normalizeAddress(normalizeAddress(a, b))).toBe(normalizeAddress(a, b));
        expect(normalizeZip(normalizeZip(a))).toBe(normalizeZip(a));
      }),
      { numRuns: 2000 },
    );
  });

  it('the key of a person whose fields are already normalized is the key it came from', () => {
    const person = fc.record({
      firstName: fc.oneof(
        phrase(word).map((w) => w.join(' ')),
        anyText,
      ),
      lastName: fc.oneof(
        phrase(word).map((w) => w.join(' ')),
        anyText,
      ),
      addressLine1: fc.oneof(
        phrase(addressWord).map((w) => w.join(' ')),
        anyText,
      ),
      addressLine2: fc.option(
        fc.oneof(
          phrase(addressWord).map((w) => w.join(' ')),
          anyText,
        ),
      ),
      zip: fc.oneof(fc.stringMatching(/^\d{5}(-\d{4})?$/), anyText),
    });
    fc.assert(
      fc.property(person, (p: PersonFields) => {
        const normalized: PersonFields = {
          firstName: normalizeName(p.firstName),
          lastName: normalizeName(p.lastName),
          addressLine1: normalizeAddress(p.addressLine1, p.addressLine2),
          addressLine2: null,
          zip: normalizeZip(p.zip),
        };
        expect(matchKey(normalized)).toBe(matchKey(p));
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores case and extra, leading and trailing spaces and tabs between words', () => {
    const typed = (w: fc.Arbitrary<string>) =>
      phrase(w).chain((ws) => fc.tuple(fc.constant(ws), retyped(ws)));
    fc.assert(
      fc.property(
        typed(word),
        typed(word),
        typed(addressWord),
        fc.stringMatching(/^\d{5}$/),
        (first, last, addr, zip) => {
          expect(normalizeName(first[1])).toBe(normalizeName(first[0].join(' ')));
          expect(normalizeAddress(addr[1])).toBe(normalizeAddress(addr[0].join(' ')));
          const a = {
            firstName: first[0].join(' '),
            lastName: last[0].join(' '),
            addressLine1: addr[0].join(' '),
            zip,
          };
          const b = { firstName: first[1], lastName: last[1], addressLine1: addr[1], zip: ` ${zip}\t` };
          expect(matchKey(b)).toBe(matchKey(a));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('for any text, ASCII case and whitespace around and between words do not change the result', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const widened = ` \t${s.replace(/ /g, ' \t ')}\t `;
        expect(normalizeText(swapAsciiCase(s))).toBe(normalizeText(s));
        expect(normalizeText(widened)).toBe(normalizeText(s));
        expect(normalizeAddress(widened)).toBe(normalizeAddress(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('splitting an address over two lines gives the same address', () => {
    fc.assert(
      fc.property(phrase(addressWord), phrase(addressWord), (l1, l2) => {
        expect(normalizeAddress(l1.join(' '), l2.join(' '))).toBe(normalizeAddress([...l1, ...l2].join(' ')));
      }),
    );
  });
});

describe('the progress projection', () => {
  it('projects valid + floor(pending × r) with the contract’s r, never above raw, and totals are sums', () => {
    fc.assert(
      fc.property(progressInput, ({ p, tallied, extraCounts }) => {
        const sorted = [...p.fips].sort();
        const deadline = new Date(NOW.getTime() + p.daysToDeadline * 86_400_000).toISOString().slice(0, 10);
        const petition: ProgressPetition = {
          id: 'p',
          slug: 'p',
          title: 'P',
          signaturesRequired: p.required,
          deadline,
          assumedValidityRate: p.rate / 10_000,
          counties: sorted.map((fips) => ({ fips, name: fips, target: null })),
        };
        const byFips = new Map<string, StatusCounts>();
        sorted.forEach((f, i) => tallied[i] && byFips.set(f, tallied[i]));
        p.extra.forEach((f, i) => byFips.set(f, extraCounts[i] as StatusCounts));
        const snapshot: TallySnapshot = { counties: byFips, hourly: [], seconds: [], sections: [] };
        const doc = buildProgress(petition, snapshot, NOW);

        const rows = sorted.map((f) => byFips.get(f) ?? { pending: 0, valid: 0, invalid: 0, duplicate: 0 });
        const all = oracle.sumCounts(rows);
        expect(doc.counties.map((c) => c.fips)).toEqual(sorted);
        doc.counties.forEach((c, i) => {
          const want = rows[i] as oracle.Counts;
          const projected = oracle.projectedValid(want, oracle.countyRate(want, all, p.rate));
          expect(c).toMatchObject({ ...want, raw: oracle.rawOf(want), projectedValid: projected });
          expect(c.validityRate).toBe(
            want.valid + want.invalid ? want.valid / (want.valid + want.invalid) : null,
          );
          expect(c.projectedValid).toBeLessThanOrEqual(c.raw);
        });
        const sum = (k: 'raw' | 'projectedValid') => doc.counties.reduce((s, c) => s + c[k], 0);
        expect(doc.totals).toMatchObject({
          ...all,
          raw: oracle.rawOf(all),
          projectedValid: sum('projectedValid'),
        });
        expect(doc.totals.raw).toBe(sum('raw'));
        expect(doc.totals.projectedValid).toBeLessThanOrEqual(doc.totals.raw);
        expect(doc.band).toBe(oracle.progressBand(doc.totals.projectedValid, p.required));
        expect(doc.pace.daysLeft).toBe(Math.max(0, p.daysToDeadline));
        expect(doc.pace.neededPerDay).toBe(
          oracle.neededPerDay(
            p.required,
            doc.totals.projectedValid,
            oracle.petitionRate(all, p.rate),
            doc.pace.daysLeft,
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});

function expectProjection(c: oracle.SampleCounty): void {
  const got = projectCounty({ fips: '06001', name: 'Alameda', ...c });
  const want = oracle.sampleProjection(c);
  const input = JSON.stringify(c);
  expect({
    input,
    validityPercent: got.validityPercent,
    v: got.v,
    a: got.a,
    penalty: got.penalty,
    projectedValid: got.projectedValid,
    complete: got.complete,
  }).toEqual({
    input,
    validityPercent: want.validityPercentHundredths === null ? null : want.validityPercentHundredths / 100,
    v: want.v,
    a: want.aTenThousandths === null ? null : want.aTenThousandths / 10_000,
    penalty: want.penalty,
    projectedValid: want.projectedValid,
    complete: want.complete,
  });
  expect(got.projectedValid).toBeLessThanOrEqual(c.raw);
}

describe('the random-sample projection', () => {
  it('draws min(raw, max(500, ceil(3 % of raw))) signers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), (raw) => {
        expect(sampleSizeFor(raw)).toBe(oracle.sampleSize(raw));
      }),
      { numRuns: 5000 },
    );
  });

  it("reproduces the regulation's worked example: raw 24,034, sample 722, 516 valid, 2 duplicates → 15,028", () => {
    const example = { raw: 24_034, sampleSize: 722, checked: 722, valid: 516, duplicates: 2 };
    expect(oracle.sampleProjection(example)).toEqual({
      validityPercentHundredths: 7147,
      v: 17_178,
      aTenThousandths: 332_881,
      penalty: 2_150,
      projectedValid: 15_028,
      complete: true,
    });
    expectProjection(example);
  });

  it('follows the regulation’s formula on any county, and never projects more than raw', () => {
    fc.assert(fc.property(sampleCounty, expectProjection), { numRuns: 5000 });
  });

  it('totals the counties and bands the petition on the projected total', () => {
    fc.assert(
      fc.property(
        fc.array(sampleCounty, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (cs, required) => {
          const doc = projectSample(
            cs.map((c, i) => ({ fips: String(i), name: String(i), ...c })),
            required,
          );
          const projected = cs.reduce((s, c) => s + oracle.sampleProjection(c).projectedValid, 0);
          const raw = cs.reduce((s, c) => s + c.raw, 0);
          expect(doc.totals.projectedValid).toBe(projected);
          expect(doc.totals.raw).toBe(raw);
          expect(doc.band).toBe(oracle.sampleBand(raw, projected, required));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

const defused = (cell: string) => (FORMULA_START.test(cell) ? `'${cell}` : cell);
const readCsv = (csv: string): string[][] => parse(csv, { record_delimiter: '\r\n', relax_quotes: false });

describe('CSV exports', () => {
  const csvCounties = fc.array(
    fc.record({ fips: cellText, name: cellText, target: fc.option(fc.nat(1000)) }),
    {
      minLength: 1,
      maxLength: 6,
    },
  );

  it('county tallies parse back to exactly their cells, formulas defused, CRLF rows, the contract header', () => {
    fc.assert(
      fc.property(csvCounties, fc.boolean(), (counties, bom) => {
        const petition = {
          id: 'p',
          slug: 'p',
          title: 'P',
          signaturesRequired: 10,
          deadline: '2027-01-01',
          assumedValidityRate: 0.75,
          counties,
        };
        const doc = buildProgress(
          petition,
          { counties: new Map(), hourly: [], seconds: [], sections: [] },
          NOW,
        );
        const csv = talliesCsv(doc, { bom });
        expect(csv.startsWith('\uFEFF')).toBe(bom);
        expect(csv.endsWith('\r\n')).toBe(true);
        const rows = readCsv(bom ? csv.slice(1) : csv);
        expect(rows[0]).toEqual(
          'county_fips,county,raw,pending,valid,invalid,duplicate,validity_rate,projected_valid,target'.split(
            ',',
          ),
        );
        expect(rows.slice(1, -1)).toEqual(
          counties.map((c) => [
            defused(c.fips),
            defused(c.name),
            '0',
            '0',
            '0',
            '0',
            '0',
            '',
            '0',
            c.target === null ? '' : String(c.target),
          ]),
        );
        expect(rows[rows.length - 1]?.slice(0, 2)).toEqual(['', 'TOTAL']);
      }),
      { numRuns: 500 },
    );
  });

  it('the sample report parses back to exactly its cells, formulas defused, CRLF rows', () => {
    fc.assert(
      fc.property(csvCounties, cellText, (counties, seed) => {
        const projected = projectSample(
          counties.map((c) => ({
            fips: c.fips,
            name: c.name,
            raw: 0,
            sampleSize: 0,
            checked: 0,
            valid: 0,
            duplicates: 0,
          })),
          10,
        );
        const doc: SampleDocument = {
          id: 'x',
          seed,
          createdAt: NOW.toISOString(),
          signaturesRequired: 10,
          ...projected,
        };
        const csv = sampleCsv(doc);
        expect(csv.endsWith('\r\n')).toBe(true);
        const rows = readCsv(csv);
        expect(rows[0]).toEqual(SAMPLE_HEADER);
        expect(rows.slice(1, -1).map((r) => r.slice(0, 2))).toEqual(
          counties.map((c) => [defused(c.fips), defused(c.name)]),
        );
        expect(rows.slice(1).every((r) => r.length === SAMPLE_HEADER.length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('interleaved intake, status changes and rollups', () => {
  const app = useTestApp();
  let crew: Crew;
  beforeAll(async () => {
    const t = app();
    crew = { organizer: await makeUser(t.ctx), volunteer: await makeUser(t.ctx) };
  });

  it('whatever runs at once, progress equals a count of the signers and the recount finds no drift', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, (steps) => runScenario(app(), crew, steps)),
      { numRuns: 20 },
    );
  });
});
