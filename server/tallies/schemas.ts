import { z } from 'zod';
import { SECTION_STATUSES } from '../sections/schemas';

const counts = {
  raw: z.number().int(),
  pending: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  duplicate: z.number().int(),
  validityRate: z.number().nullable(),
  projectedValid: z.number().int(),
};

export const progressSchema = z
  .object({
    petition: z.object({
      id: z.uuid(),
      slug: z.string(),
      title: z.string(),
      signaturesRequired: z.number().int(),
      deadline: z.string(),
    }),
    asOf: z.string(),
    totals: z.object({
      ...counts,
      percentOfRequired: z.number(),
      projectedPercentOfRequired: z.number(),
    }),
    band: z.enum(['above_110', 'full_count_95_110', 'below_95']),
    pace: z.object({
      daysLeft: z.number().int(),
      neededPerDay: z.number().int().nullable(),
      last7DaysPerDay: z.number(),
    }),
    counties: z.array(
      z.object({
        fips: z.string(),
        name: z.string(),
        ...counts,
        target: z.number().int().nullable(),
        sectionsOut: z.number().int(),
        linesCounted: z.number().int(),
        linesFiled: z.number().int(),
      }),
    ),
    daily: z.array(z.object({ date: z.string(), raw: z.number().int() })),
    sections: z.object({
      ...Object.fromEntries(SECTION_STATUSES.map((s) => [s, z.number().int()])),
      outstanding: z.number().int(),
      linesCounted: z.number().int(),
      linesFiled: z.number().int(),
    }),
    distribution: z
      .object({
        kind: z.enum(['min_counties_meeting_target', 'max_share_per_county']),
        met: z.boolean(),
        countiesMeetingTarget: z.number().int().optional(),
        largestSharePercent: z.number().optional(),
      })
      .optional(),
    milestones: z.object({
      '25': z.string().nullable(),
      '50': z.string().nullable(),
      '100': z.string().nullable(),
    }),
  })
  .meta({ id: 'Progress' });
