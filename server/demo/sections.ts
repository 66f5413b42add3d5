import type { Knex } from 'knex';
import type { Petition } from '../petitions/repo';
import { fileSections } from '../sections/filings';
import { changeSection, issueSections } from '../sections/service';
import type { SignerInput } from '../signatures/schemas';

const DAY_MS = 86_400_000;
const LINES_PER_SHEET = 15;

export interface DemoSigner {
  input: SignerInput;
  collector: number;
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Puts the demo's signers on paper: each collector's signers of a county fill numbered sections, a
 * sheet of up to 15 lines at a time, so that every signer names its section and line.
 */
export async function sheetsFor(
  knex: Knex,
  petition: Petition,
  organizerId: string,
  collectors: string[],
  signers: DemoSigner[],
): Promise<void> {
  const groups = new Map<string, DemoSigner[]>();
  for (const s of [...signers].sort((a, b) =>
    (a.input.signedAt ?? '').localeCompare(b.input.signedAt ?? ''),
  )) {
    const key = `${s.collector}|${s.input.countyFips}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, group] of groups) {
    const [collector, countyFips] = key.split('|') as [string, string];
    const count = Math.ceil(group.length / LINES_PER_SHEET);
    for (let from = 0; from < count; from += 500) {
      const issued = await issueSections(knex, petition, organizerId, {
        countyFips,
        count: Math.min(500, count - from),
        circulatorId: collectors[Number(collector)],
      });
      issued.forEach((section, i) => {
        const lines = group.slice((from + i) * LINES_PER_SHEET, (from + i + 1) * LINES_PER_SHEET);
        lines.forEach((s, line) => Object.assign(s.input, { sectionNumber: section.number, line: line + 1 }));
      });
    }
  }
}

/**
 * Moves the sheets along as a campaign would have: a sheet whose signers are all older than two weeks
 * is counted (and, past three weeks, filed with its county); older than four days, returned; the rest
 * are still out with their circulators, out since their first signer. A few blank sheets are out, one
 * is lost and one void.
 */
export async function advanceSheets(
  knex: Knex,
  petition: Petition,
  organizerId: string,
  volunteerId: string,
  now: Date,
): Promise<void> {
  const sheets = await knex('sections as s')
    .join('signatures as g', (j) =>
      j.on('g.petition_id', 's.petition_id').andOn('g.section_number', 's.number'),
    )
    .where('s.petition_id', petition.id)
    .groupBy('s.number', 's.county_fips')
    .select(
      's.number',
      's.county_fips as county',
      knex.raw('min(g.signed_at) as first'),
      knex.raw('max(g.signed_at) as last'),
    )
    .select(knex.raw('count(*)::int as lines'));
  const actor = { id: organizerId, circulatorOnly: false };
  const toFile = new Map<string, number[]>();
  for (const sheet of sheets) {
    const first = new Date(sheet.first).getTime();
    const last = new Date(sheet.last).getTime();
    await knex('sections')
      .where({ petition_id: petition.id, number: sheet.number })
      .update({ issued_at: new Date(first - DAY_MS / 2) });
    const age = now.getTime() - last;
    if (age < 4 * DAY_MS) continue;
    await changeSection(knex, petition, sheet.number, actor, { status: 'returned' });
    if (age < 14 * DAY_MS) continue;
    await changeSection(knex, petition, sheet.number, actor, {
      status: 'counted',
      linesCounted: sheet.lines,
      declarationSignedAt: day(last),
    });
    if (age > 21 * DAY_MS) toFile.set(sheet.county, [...(toFile.get(sheet.county) ?? []), sheet.number]);
  }
  for (const [countyFips, sections] of toFile)
    await fileSections(knex, petition, organizerId, { countyFips, sections });

  const [first, ...rest] = petition.counties;
  const county = first?.fips ?? rest[0]?.fips;
  if (!county) return;
  const blank = await issueSections(knex, petition, organizerId, {
    countyFips: county,
    count: 5,
    circulatorId: volunteerId,
  });
  const [lost, spoiled] = blank.map((s) => s.number) as [number, number];
  await changeSection(knex, petition, lost, actor, {
    status: 'lost',
    reason: 'left behind at a market stall',
  });
  await changeSection(knex, petition, spoiled, actor, { status: 'void', reason: 'torn and rained on' });
}
