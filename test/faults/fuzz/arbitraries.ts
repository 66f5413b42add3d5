import fc from 'fast-check';
import type { StatusCounts } from '../../../server/tallies/store';
import { sampleSize } from './oracles';

/* Generators for the property tests: realistic names and addresses, tallies, sample counts, CSV cells. */

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Accented letters that decompose under NFKD into a base letter and combining marks. */
const ACCENTED = 'éèêëáàâäãåçñóòôöõúùûüíìîïýÿÉÈÊÁÀÂÄÅÇÑÓÔÖÚÜÍÎ';
const PUNCTUATION = ".,-'’`#/&()";
const ADDRESS_WORDS = [
  'Street',
  'St.',
  'AVENUE',
  'Av',
  'Blvd',
  'Apt',
  'Apartment',
  '#',
  'Suite',
  'No',
  'North',
  'first',
];
const SPACES = [' ', '\t', '  ', ' \t ', '\t\t'];

const char = fc.constantFrom(...LETTERS, ...ACCENTED, ...PUNCTUATION);
export const word = fc.string({ unit: char, minLength: 1, maxLength: 10 });
export const addressWord = fc.oneof(word, fc.constantFrom(...ADDRESS_WORDS));
export const phrase = (w: fc.Arbitrary<string>) => fc.array(w, { minLength: 1, maxLength: 5 });
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** The same words, each letter's case flipped at random and the gaps widened with spaces and tabs. */
export function retyped(words: string[]): fc.Arbitrary<string> {
  const gaps = fc.array(fc.constantFrom(...SPACES), {
    minLength: words.length + 1,
    maxLength: words.length + 1,
  });
  const flips = fc.array(fc.boolean(), {
    minLength: words.join('').length,
    maxLength: words.join('').length,
  });
  return fc.tuple(gaps, flips).map(([gap, flip]) => {
    let i = 0;
    const cased = words.map((w) =>
      [...w]
        .map((c) => (flip[i++] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c))
        .join(''),
    );
    return gap[0] + cased.map((w, k) => w + gap[k + 1]).join('');
  });
}

export const swapAsciiCase = (s: string) =>
  s.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

const small = fc.oneof(fc.nat(40), fc.nat(100_000));
const counts: fc.Arbitrary<StatusCounts> = fc.record({
  pending: small,
  valid: small,
  invalid: small,
  duplicate: small,
});
const fipsCode = fc.integer({ min: 1, max: 999 }).map((n) => `06${String(n).padStart(3, '0')}`);

export const progressInput = fc
  .record({
    fips: fc.uniqueArray(fipsCode, { minLength: 1, maxLength: 12 }),
    extra: fc.uniqueArray(
      fc.integer({ min: 1, max: 999 }).map((n) => `41${String(n).padStart(3, '0')}`),
      { maxLength: 2 },
    ),
    rate: fc.integer({ min: 1, max: 10_000 }),
    required: fc.integer({ min: 1, max: 50_000_000 }),
    daysToDeadline: fc.integer({ min: -30, max: 400 }),
  })
  .chain((p) =>
    fc.record({
      p: fc.constant(p),
      tallied: fc.array(fc.option(counts, { freq: 4 }), {
        minLength: p.fips.length,
        maxLength: p.fips.length,
      }),
      extraCounts: fc.array(counts, { minLength: p.extra.length, maxLength: p.extra.length }),
    }),
  );

export const sampleCounty = fc.integer({ min: 0, max: 3_000_000 }).chain((raw) => {
  const size = sampleSize(raw);
  return fc.integer({ min: 0, max: size }).chain((checked) =>
    fc.integer({ min: 0, max: checked }).chain((valid) =>
      fc.record({
        raw: fc.constant(raw),
        sampleSize: fc.constant(size),
        checked: fc.constant(checked),
        valid: fc.constant(valid),
        duplicates: fc.integer({ min: 0, max: checked - valid }),
      }),
    ),
  );
});

/** Cells a spreadsheet would run: the contract's = + - @ tab CR, and the full-width forms csv-stringify also defuses. */
export const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
export const cellText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'Z', '9', ' ', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', "'", 'é'),
    maxLength: 12,
  }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
