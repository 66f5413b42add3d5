import { randomUUID } from 'node:crypto';

/* Hostile values as they go on the wire: path segments, query values, header values. */

/** Percent-encoding that also sends a lone surrogate, as the three bytes of its (invalid) UTF-8 form. */
export function enc(text: string): string {
  return [...text]
    .map((ch) => {
      const cp = ch.codePointAt(0) as number;
      if (cp < 0xd800 || cp > 0xdfff) return encodeURIComponent(ch);
      return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}
const seg = (label: string, raw: string) => ({ label, raw });

/** Path segments as they go on the wire (already percent-encoded, or deliberately badly). */
export const HOSTILE_SEGMENTS = [
  seg("'%00'", '%00'),
  seg("'abc%00def'", 'abc%00def'),
  seg("'%C0%AE%C0%AE' (invalid UTF-8)", '%C0%AE%C0%AE'),
  seg("'%ED%A0%80' (a lone surrogate in UTF-8)", '%ED%A0%80'),
  seg("'%' (a broken escape)", '%'),
  seg("'%zz'", '%zz'),
  seg('36 dashes', '-'.repeat(36)),
  seg(
    "'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa-' (36 of [0-9a-f-], not a UUID)",
    'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa-',
  ),
  seg('36 hex digits', 'a'.repeat(36)),
  seg("36 dashes + '.csv'", `${'-'.repeat(36)}.csv`),
  seg('an unknown UUID', randomUUID()),
  seg('emoji', enc('🗳️👍🏽')),
  seg('RTL override', enc('\u202eabc')),
  seg('combining marks', enc('e\u0301\u0301')),
  seg("'%2e%2e'", '%2e%2e'),
  seg('SQL quote', enc("' OR '1'='1")),
  seg('10 KB', 'a'.repeat(10 * 1024)),
];

const base64url = (s: string) => Buffer.from(s).toString('base64url');
/** Values that pass a parameter's own check and go on to the database. */
export const CRAFTED_QUERY: Record<string, string[]> = {
  cursor: [
    base64url(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`),
    base64url(`2026-01-01T00:00:00.000Z|aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa-`),
    base64url(`1|${randomUUID()}`),
    base64url(`-271821-04-20T00:00:00.000Z|${randomUUID()}`),
    base64url(`+275760-09-13T00:00:00.000Z|${randomUUID()}`),
    base64url(`2026-01-01T00:00:00.000Z\u0000|${randomUUID()}`),
  ],
};

export const HOSTILE_HEADERS = [
  '',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  `${randomUUID()}\u00e9`,
  randomUUID().toUpperCase(),
  'x'.repeat(8000),
  "' OR '1'='1",
];
export const HOSTILE_AUTH = [
  'Bearer ',
  'Bearer x',
  `Bearer ${'\u00e9'.repeat(20)}`,
  `Bearer ${'a'.repeat(10_000)}`,
  'Basic YTpi',
  'bearer lower-case',
];
