import { z } from 'zod';

export const uuid = z.uuid();
/** A database timestamp as the API writes it: ISO 8601 UTC with milliseconds. */
export const isoTime = (value: Date | string) => new Date(value).toISOString();
export const isoDate = z.iso.date();
export const fips = z.string().regex(/^\d{5}$/, 'must be a 5-digit county FIPS code');
/** A petition is addressed by its id or its slug. */
export const petitionRef = z.object({ id: z.string().min(1).max(100) });
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
