/*
 * Name and address normalization for duplicate detection (and, later, voter-file matching): two
 * records of one person should reduce to the same key however they were typed.
 */

const ADDRESS_WORDS: Record<string, string> = {
  street: 'st',
  str: 'st',
  avenue: 'ave',
  av: 'ave',
  avn: 'ave',
  boulevard: 'blvd',
  boul: 'blvd',
  road: 'rd',
  drive: 'dr',
  drv: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  terrace: 'ter',
  parkway: 'pkwy',
  pky: 'pkwy',
  highway: 'hwy',
  circle: 'cir',
  square: 'sq',
  trail: 'trl',
  alley: 'aly',
  crescent: 'cres',
  expressway: 'expy',
  freeway: 'fwy',
  plaza: 'plz',
  point: 'pt',
  route: 'rte',
  mount: 'mt',
  fort: 'ft',
  saint: 'st',
  center: 'ctr',
  centre: 'ctr',
  heights: 'hts',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  apartment: 'unit',
  apt: 'unit',
  suite: 'unit',
  ste: 'unit',
  number: 'unit',
  no: 'unit',
  first: '1st',
  second: '2nd',
  third: '3rd',
  fourth: '4th',
  fifth: '5th',
  sixth: '6th',
  seventh: '7th',
  eighth: '8th',
  ninth: '9th',
  tenth: '10th',
};

/** Latin letters with no decomposition to drop an accent from, spelled as they are in ASCII. */
const FOLDS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  Ŧ: 't',
};
const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'g');

/**
 * Lowercase words of letters and digits, of any script: accents dropped (é → e, ø → o, ß → ss),
 * apostrophes removed, other punctuation as spaces. Plain ASCII (nearly every record) takes the short way.
 */
export function normalizeText(value: string | null | undefined): string {
  if (!value) return '';
  const words = /^[\x20-\x7e]*$/.test(value)
    ? value
        .toLowerCase()
        .replace(/['’`]/g, '')
        .replace(/#/g, ' unit ')
        .replace(/[^a-z0-9]+/g, ' ')
    : value
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(FOLDABLE, (c) => FOLDS[c] ?? c)
        .toLowerCase()
        .replace(/['’`]/g, '')
        .replace(/#/g, ' unit ')
        .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return words.trim();
}

export function normalizeName(value: string | null | undefined): string {
  return normalizeText(value);
}

export function normalizeAddress(line1: string | null | undefined, line2?: string | null): string {
  const words = normalizeText(`${line1 ?? ''} ${line2 ?? ''}`)
    .split(' ')
    .filter(Boolean);
  const out: string[] = [];
  for (const word of words.map((w) => ADDRESS_WORDS[w] ?? w)) {
    if (word === 'unit' && out[out.length - 1] === 'unit') continue;
    out.push(word);
  }
  return out.join(' ');
}

export function normalizeZip(zip: string | null | undefined): string {
  return (zip ?? '').replace(/\D/g, '').slice(0, 5);
}

export interface PersonFields {
  firstName: string;
  lastName: string;
  addressLine1: string;
  addressLine2?: string | null;
  zip: string;
}

export interface PersonKeys {
  /** first|last|address|zip: same person at the same address. */
  match: string;
  /** address|zip */
  address: string;
  /** first|last|zip */
  nameZip: string;
}

/** The normalized keys a person is found by, each field normalized once. */
export function personKeys(p: PersonFields): PersonKeys {
  const first = normalizeName(p.firstName);
  const last = normalizeName(p.lastName);
  const address = normalizeAddress(p.addressLine1, p.addressLine2);
  const zip = normalizeZip(p.zip);
  return {
    match: `${first}|${last}|${address}|${zip}`,
    address: `${address}|${zip}`,
    nameZip: `${first}|${last}|${zip}`,
  };
}

/** Same normalized name and address → same key. */
export function matchKey(p: PersonFields): string {
  return personKeys(p).match;
}
