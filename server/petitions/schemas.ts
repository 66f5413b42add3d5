import { z } from 'zod';
import { PETITION_ROLES } from '../auth/roles';
import { fips, isoDate, petitionRef, SLUG_PATTERN, text, uuid } from '../http/schemas';

export const MEASURE_TYPES = ['initiative_statute', 'constitutional_amendment', 'referendum'] as const;
export const PETITION_STATUSES = ['draft', 'circulating', 'submitted', 'qualified', 'failed'] as const;

const slug = z
  .string()
  .min(3)
  .max(80)
  .regex(SLUG_PATTERN, 'use lowercase letters, digits and single hyphens')
  .refine((s) => !uuid.safeParse(s).success, 'must not look like an id');

export const distributionSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('min_counties_meeting_target'),
      count: z.number().int().positive().max(4000),
    }),
    z.strictObject({ kind: z.literal('max_share_per_county'), percent: z.number().gt(0).lte(100) }),
  ])
  .meta({ id: 'DistributionRule' });

const countyInput = z.strictObject({
  fips,
  target: z.number().int().positive().max(50_000_000).nullable().optional(),
});

const fields = {
  slug,
  title: text().trim().min(3).max(200),
  summary: text().trim().max(5000),
  measureType: z.enum(MEASURE_TYPES),
  signaturesRequired: z.number().int().positive().max(50_000_000),
  circulationStart: isoDate,
  deadline: isoDate,
  // Kept to four decimals (decimal(5,4)): a finer rate would be stored as another number, or as 0.
  assumedValidityRate: z
    .number()
    .min(0.0001)
    .max(1)
    .refine((r) => Math.abs(r * 10_000 - Math.round(r * 10_000)) < 1e-6, 'must have at most 4 decimals'),
  public: z.boolean(),
  status: z.enum(PETITION_STATUSES),
  distribution: distributionSchema.nullable(),
  counties: z
    .array(countyInput)
    .min(1)
    .max(4000)
    .refine((list) => new Set(list.map((c) => c.fips)).size === list.length, 'lists a county twice'),
};

const datesInOrder = (p: { circulationStart?: string; deadline?: string }) =>
  !p.circulationStart || !p.deadline || p.deadline >= p.circulationStart;
const datesMessage = { path: ['deadline'], message: 'must not be before circulationStart' };

export const createPetitionBody = z
  .strictObject({
    ...fields,
    slug: fields.slug.optional(),
    summary: fields.summary.default(''),
    state: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a 2-letter state code')
      .toUpperCase(),
    assumedValidityRate: fields.assumedValidityRate.default(0.75),
    public: fields.public.default(false),
    status: fields.status.default('draft'),
    distribution: fields.distribution.optional(),
    counties: fields.counties.optional(),
  })
  .refine(datesInOrder, datesMessage);
export type CreatePetitionInput = z.infer<typeof createPetitionBody>;

export const updatePetitionBody = z
  .strictObject(fields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field')
  .refine(datesInOrder, datesMessage);
export type UpdatePetitionInput = z.infer<typeof updatePetitionBody>;

export const petitionSchema = z
  .object({
    id: uuid,
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    state: z.string(),
    measureType: z.enum(MEASURE_TYPES),
    signaturesRequired: z.number().int(),
    circulationStart: isoDate,
    deadline: isoDate,
    assumedValidityRate: z.number(),
    public: z.boolean(),
    status: z.enum(PETITION_STATUSES),
    distribution: distributionSchema.nullable(),
    /** When signer data was erased; a purged petition is final. */
    purgedAt: z.string().nullable(),
    counties: z.array(z.object({ fips: z.string(), name: z.string(), target: z.number().int().nullable() })),
  })
  .meta({ id: 'Petition' });

export const memberParams = petitionRef.extend({ userId: uuid });
export const memberBody = z.strictObject({ role: z.enum(PETITION_ROLES) });
export const memberByEmailBody = z.strictObject({
  email: z
    .email()
    .max(320)
    .transform((e) => e.toLowerCase()),
  role: z.enum(PETITION_ROLES),
});
export const membershipSchema = z
  .object({
    petitionId: uuid,
    userId: uuid,
    role: z.enum(PETITION_ROLES),
    name: z.string(),
    email: z.string(),
  })
  .meta({ id: 'Membership' });
