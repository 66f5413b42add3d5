import type { Knex } from 'knex';
import type { Outcome, SignerItem } from './intake';

export const closed = (item: SignerItem, detail: string): Outcome => ({
  status: 409,
  detail,
  errors: [{ path: item.at, message: 'the petition is not taking signers' }],
});

export const notACounty = (item: SignerItem): Outcome => {
  const path = `${item.at}.countyFips`;
  const message = `${item.input.countyFips} is not a county of this petition`;
  return { status: 400, detail: `${path}: ${message}`, errors: [{ path, message }] };
};

export type SectionInfo = { county: string; status: string };

/** The sections the items name, by number. */
export async function sectionsOf(
  knex: Knex,
  petitionId: string,
  items: SignerItem[],
): Promise<Map<number, SectionInfo>> {
  const numbers = [...new Set(items.map((i) => i.input.sectionNumber).filter((n): n is number => n != null))];
  if (!numbers.length) return new Map();
  const rows = await knex('sections')
    .where({ petition_id: petitionId })
    .whereIn('number', numbers)
    .select('number', 'county_fips as county', 'status');
  return new Map(
    rows.map((r) => [r.number as number, { county: r.county as string, status: r.status as string }]),
  );
}

/** A signer's section must exist in the petition, be of the signer's county and not be void. */
export function sectionRefusal(item: SignerItem, sections: Map<number, SectionInfo>): Outcome | undefined {
  const number = item.input.sectionNumber;
  if (number == null) return undefined;
  const section = sections.get(number);
  const refuse = (status: 400 | 409, field: string, message: string): Outcome => {
    const path = `${item.at}.${field}`;
    return { status, detail: `${path}: ${message}`, errors: [{ path, message }] };
  };
  if (!section) return refuse(400, 'sectionNumber', `there is no section ${number} in this petition`);
  if (section.county !== item.input.countyFips)
    return refuse(400, 'countyFips', `section ${number} is of county ${section.county}`);
  if (section.status === 'void') return refuse(409, 'sectionNumber', `section ${number} is void`);
  return undefined;
}

export const lineTaken = (item: SignerItem): Outcome => {
  const path = `${item.at}.line`;
  const message = `line ${item.input.line} of section ${item.input.sectionNumber} holds another signer`;
  return { status: 409, detail: `${path}: ${message}`, errors: [{ path, message }] };
};
