import { isoDate, isStorable } from '../http/schemas';
import { personKeys, type PersonKeys } from '../signatures/normalize';

export const VOTER_COLUMNS = [
  'voter_id',
  'first_name',
  'middle_name',
  'last_name',
  'house_number',
  'street',
  'unit',
  'city',
  'zip',
  'county_fips',
  'date_of_birth',
  'status',
] as const;
export type VoterColumn = (typeof VOTER_COLUMNS)[number];
export const VOTER_STATUSES = ['active', 'inactive', 'cancelled'] as const;

/** What is stored for one voter, in the column order of the voters table. */
export type VoterRow = [
  state: string,
  voterId: string,
  firstName: string | null,
  middleName: string | null,
  lastName: string,
  houseNumber: string | null,
  street: string,
  unit: string | null,
  city: string | null,
  zip: string | null,
  countyFips: string,
  dateOfBirth: string | null,
  status: string,
  matchKey: string,
  addressKey: string,
  nameZipKey: string,
];

export const VOTER_TABLE_COLUMNS = ['state', ...VOTER_COLUMNS, 'match_key', 'address_key', 'name_zip_key'];

/** The keys a signer is matched on, from its stored match_key (first|last|address|zip). */
export const SIGNER_KEYS_SQL = {
  addressKey: "split_part(s.match_key, '|', 3) || '|' || split_part(s.match_key, '|', 4)",
  nameZipKey:
    "split_part(s.match_key, '|', 1) || '|' || split_part(s.match_key, '|', 2) || '|' || split_part(s.match_key, '|', 4)",
};

/** Reads a column map written as "Their Header=voter_column, …"; undefined when it is malformed. */
export function parseColumnMap(text: string | undefined): Record<string, string> | undefined {
  if (!text) return {};
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [from, to, extra] = pair.split('=').map((part) => part.trim());
    if (!from || !to || extra !== undefined) return undefined;
    map[from] = to;
  }
  return map;
}

/**
 * Maps a header row to voter columns: each header is lowercased, renamed by the column map if it names
 * it, and kept when it is a voter column; others are ignored. Returns the missing required columns too.
 */
export function mapHeader(header: string[], columnMap: Record<string, string> = {}) {
  const lowerMap = Object.fromEntries(Object.entries(columnMap).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const columns = header.map((h) => {
    const name = h.trim().toLowerCase();
    const mapped = lowerMap[name] ?? name;
    return (VOTER_COLUMNS as readonly string[]).includes(mapped) ? (mapped as VoterColumn) : null;
  });
  const required: VoterColumn[] = ['voter_id', 'last_name', 'street', 'county_fips', 'status'];
  return { columns, missing: required.filter((c) => !columns.includes(c)) };
}

const clean = (v: string | undefined) => {
  const t = v?.trim();
  return t ? t : null;
};

/** Checks and normalizes one record; a reason when it cannot be loaded. */
export interface VoterName {
  firstName: string | null;
  lastName: string;
  houseNumber: string | null;
  street: string;
  unit: string | null;
  zip: string | null;
}

/** The keys a voter is found by, from the columns of the voter file. */
export function voterKeys(v: VoterName): PersonKeys {
  return personKeys({
    firstName: v.firstName ?? '',
    lastName: v.lastName,
    addressLine1: v.houseNumber ? `${v.houseNumber} ${v.street}` : v.street,
    // A bare unit ("4") reads like the "Apt 4" or "#4" a signer writes.
    addressLine2: v.unit ? `unit ${v.unit}` : null,
    zip: v.zip ?? '',
  });
}

export function parseVoter(
  state: string,
  record: Partial<Record<VoterColumn, string>>,
  counties: ReadonlySet<string>,
): { row: VoterRow } | { reason: string } {
  if (!Object.values(record).every((v) => v === undefined || isStorable(v)))
    return { reason: 'holds a NUL or an unpaired surrogate character' };
  const voterId = clean(record.voter_id);
  const lastName = clean(record.last_name);
  const street = clean(record.street);
  const countyFips = clean(record.county_fips)?.padStart(5, '0') ?? null;
  const status = clean(record.status)?.toLowerCase() ?? null;
  const zip = clean(record.zip);
  const dateOfBirth = clean(record.date_of_birth);
  if (!voterId) return { reason: 'voter_id is empty' };
  if (!lastName) return { reason: 'last_name is empty' };
  if (!street) return { reason: 'street is empty' };
  if (!countyFips || !counties.has(countyFips))
    return { reason: `county_fips ${record.county_fips ?? ''} is not a county of ${state}` };
  if (!status || !(VOTER_STATUSES as readonly string[]).includes(status))
    return { reason: `status ${record.status ?? ''} is not active, inactive or cancelled` };
  if (zip && !/^\d{5}(-?\d{4})?$/.test(zip)) return { reason: `zip ${zip} is not a ZIP code` };
  if (dateOfBirth && !isoDate.safeParse(dateOfBirth).success)
    return { reason: `date_of_birth ${dateOfBirth} is not YYYY-MM-DD` };
  const firstName = clean(record.first_name);
  const houseNumber = clean(record.house_number);
  const unit = clean(record.unit);
  const keys = voterKeys({ firstName, lastName, houseNumber, street, unit, zip });
  return {
    row: [
      state,
      voterId,
      firstName,
      clean(record.middle_name),
      lastName,
      houseNumber,
      street,
      unit,
      clean(record.city),
      zip,
      countyFips,
      dateOfBirth,
      status,
      keys.match,
      keys.address,
      keys.nameZip,
    ],
  };
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One row in PostgreSQL's COPY text format. */
export function copyLine(row: VoterRow): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as string | null;
    const field =
      v === null
        ? '\\N'
        : COPY_SPECIAL.test(v)
          ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string)
          : v;
    line += i ? `\t${field}` : field;
  }
  return `${line}\n`;
}
