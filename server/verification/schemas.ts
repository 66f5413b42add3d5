import { z } from 'zod';
import { petitionRef, text, uuid } from '../http/schemas';

export const voterFileQuery = z.strictObject({
  state: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a 2-letter state code')
    .transform((s) => s.toUpperCase()),
  map: text().max(2000).optional(),
});

export const importParams = z.object({ importId: uuid });
export const importSchema = z
  .object({
    id: uuid,
    state: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    rowsRead: z.number().int(),
    rowsLoaded: z.number().int(),
    rowsRejected: z.number().int(),
    rejects: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'VoterImport' });

export const runParams = petitionRef.extend({ runId: uuid });
export const runSchema = z
  .object({
    id: uuid,
    status: z.enum(['running', 'done', 'failed']),
    checked: z.number().int(),
    valid: z.number().int(),
    notRegistered: z.number().int(),
    wrongCounty: z.number().int(),
    needsReview: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'VerificationRun' });

export const reviewQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const sampleBody = z.strictObject({ seed: text().trim().min(1).max(100).optional() });
export const sampleParams = petitionRef.extend({ sampleId: uuid });
export const sampleQuery = z.strictObject({ bom: z.enum(['0', '1']).optional() });

const countySample = z.object({
  fips: z.string(),
  name: z.string(),
  raw: z.number().int(),
  sampleSize: z.number().int(),
  checked: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  validityPercent: z.number().nullable(),
  v: z.number().int(),
  a: z.number().nullable(),
  penalty: z.number().int(),
  projectedValid: z.number().int(),
  complete: z.boolean(),
});
export const sampleSchema = z
  .object({
    id: uuid,
    seed: z.string(),
    createdAt: z.string(),
    signaturesRequired: z.number().int(),
    counties: z.array(countySample),
    totals: countySample
      .pick({
        raw: true,
        sampleSize: true,
        checked: true,
        valid: true,
        invalid: true,
        duplicates: true,
        projectedValid: true,
      })
      .extend({ projectedPercentOfRequired: z.number() }),
    complete: z.boolean(),
    band: z.enum(['raw_below_100', 'above_110', 'full_count_95_110', 'below_95']),
  })
  .meta({ id: 'Sample' });

export const circulatorSchema = z.object({
  userId: uuid,
  name: z.string(),
  raw: z.number().int(),
  pending: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  duplicate: z.number().int(),
  validityRate: z.number().nullable(),
  duplicateRate: z.number(),
  last7Days: z.number().int(),
  sectionsOut: z.number().int(),
  oldestOutSince: z.string().nullable(),
  linesCounted: z.number().int(),
  flags: z.array(z.enum(['low_validity', 'high_duplicates'])),
});
