import { z } from 'zod';
import { fips, isoDate, petitionRef, text, uuid } from '../http/schemas';

export const SECTION_STATUSES = ['issued', 'returned', 'counted', 'filed', 'lost', 'void'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];
/** Statuses a PATCH may ask for; `filed` comes only with a filing. */
export const MOVABLE_STATUSES = ['returned', 'counted', 'lost', 'void'] as const;
export const MAX_LINES = 1000;
export const MAX_ISSUE = 500;

const sectionNumber = z.coerce.number().int().min(1).max(2_147_483_647);

export const sectionSchema = z
  .object({
    number: z.number().int(),
    countyFips: z.string(),
    status: z.enum(SECTION_STATUSES),
    circulatorId: uuid.nullable(),
    linesCounted: z.number().int().nullable(),
    linesEntered: z.number().int(),
    declarationSignedAt: z.string().nullable(),
    issuedAt: z.string(),
    returnedAt: z.string().nullable(),
    filedAt: z.string().nullable(),
    filingId: uuid.nullable(),
    reason: z.string().nullable(),
    hasScan: z.boolean(),
  })
  .meta({ id: 'Section' });
export type Section = z.infer<typeof sectionSchema>;

export const issueBody = z.strictObject({
  countyFips: fips,
  count: z.number().int().min(1).max(MAX_ISSUE).default(1),
  circulatorId: uuid.optional(),
});

export const sectionParams = petitionRef.extend({ number: sectionNumber });

export const sectionListQuery = z.strictObject({
  status: z.enum(SECTION_STATUSES).optional(),
  county: fips.optional(),
  circulatorId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: sectionNumber.optional().meta({ description: 'The nextCursor of the page before' }),
});

const needsReason = (b: { status?: string; reason?: string }) =>
  (b.status !== 'lost' && b.status !== 'void') || Boolean(b.reason);

export const sectionPatchBody = z
  .strictObject({
    status: z.enum(MOVABLE_STATUSES).optional(),
    circulatorId: uuid.nullable().optional(),
    linesCounted: z.number().int().min(0).max(MAX_LINES).optional(),
    declarationSignedAt: isoDate
      .refine((d) => d <= new Date().toISOString().slice(0, 10), 'must not be in the future')
      .optional(),
    reason: text().trim().min(1).max(500).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'send at least one field')
  .refine(needsReason, { path: ['reason'], message: 'is required to mark a section lost or void' });
export type SectionChange = z.infer<typeof sectionPatchBody>;

export const filingBody = z.strictObject({
  countyFips: fips,
  sections: z
    .array(z.number().int().min(1).max(2_147_483_647))
    .min(1)
    .max(5000)
    .refine((list) => new Set(list).size === list.length, 'lists a section twice'),
});

export const filingSchema = z
  .object({
    id: uuid,
    countyFips: z.string(),
    sections: z.number().int(),
    lines: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Filing' });

export const filingParams = petitionRef.extend({ filingId: uuid });

export const SCAN_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const SCAN_MAX_BYTES = 10 * 1024 * 1024;
