import { z } from 'zod';

// NUL, or half of a UTF-16 surrogate pair: PostgreSQL cannot store either in text.
// eslint-disable-next-line no-control-regex -- NUL is what it looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorable = (s: string) => !UNSTORABLE.test(s);

/** Text as it may be stored: any string without NUL or an unpaired surrogate. */
export const text = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine(isStorable, 'must not contain NUL or unpaired surrogate characters');

export const uuid = z.uuid();
/** A database timestamp as the API writes it: ISO 8601 UTC with milliseconds. */
export const isoTime = (value: Date | string) => new Date(value).toISOString();
export const isoDate = z.iso.date();
export const fips = z.string().regex(/^\d{5}$/, 'must be a 5-digit county FIPS code');
/** A petition's slug: lowercase letters and digits in words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A petition is addressed by its id or its slug. */
export const petitionRef = z.object({
  id: z
    .string()
    .max(100)
    .refine((ref) => uuid.safeParse(ref).success || SLUG_PATTERN.test(ref), 'must be a petition id or slug'),
});
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
