import { z } from 'zod';
import { fips, isoDate, petitionRef, text as storable, uuid } from '../http/schemas';
import { MAX_LINES } from '../sections/schemas';

export const SIGNATURE_STATUSES = ['pending', 'valid', 'invalid', 'duplicate'] as const;
export const INVALID_REASONS = [
  'not_registered',
  'wrong_county',
  'incomplete',
  'signature_mismatch',
  'withdrawn',
  'other',
] as const;

const FUTURE_SLACK_MS = 10 * 60 * 1000;
const required = {
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be text'),
};
const text = (max: number) => storable(required).trim().min(1, 'is required').max(max);

export const signerFields = {
  firstName: text(100),
  lastName: text(100),
  addressLine1: text(200),
  addressLine2: storable().trim().max(200).nullish(),
  city: text(100),
  zip: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code (12345 or 12345-6789)'),
  countyFips: fips,
  dateOfBirth: isoDate
    .refine((d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10), 'must be a past date')
    .nullish(),
  email: z.email().max(320).nullish(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{7,25}$/, 'must be a phone number')
    .nullish(),
  signedAt: z.iso
    .datetime({ offset: true })
    .refine((t) => Date.parse(t) <= Date.now() + FUTURE_SLACK_MS, 'must not be in the future')
    .nullish(),
  /** The paper section the signer signed, and the line on it; both or neither. */
  sectionNumber: z.number().int().min(1).max(2_147_483_647).nullish(),
  line: z.number().int().min(1).max(MAX_LINES).nullish(),
};

const bothOrNeither = (s: { sectionNumber?: number | null; line?: number | null }) =>
  (s.sectionNumber == null) === (s.line == null);
const sectionAndLine: [typeof bothOrNeither, { path: string[]; message: string }] = [
  bothOrNeither,
  { path: ['line'], message: 'goes with sectionNumber: give both or neither' },
];

export const signerBody = z
  .strictObject(signerFields)
  .refine(...sectionAndLine)
  .meta({ id: 'SignerInput' });
export type SignerInput = z.infer<typeof signerBody>;

export const batchItem = z
  .strictObject({ idempotencyKey: uuid, ...signerFields })
  .refine(...sectionAndLine)
  .meta({ id: 'BatchSignerInput' });
export const BATCH_MAX = 1000;
/** Items are checked one by one, so that a bad item does not sink the good ones. */
export const batchBody = z.strictObject({ signatures: z.array(z.unknown()).min(1).max(BATCH_MAX) });
export const batchBodyDoc = z.object({ signatures: z.array(batchItem).min(1).max(BATCH_MAX) });

export const idempotencyHeader = z.object({
  'idempotency-key': uuid.meta({ description: 'A UUID per signer' }),
});

export const signatureReceipt = z
  .object({
    id: uuid,
    status: z.enum(SIGNATURE_STATUSES),
    countyFips: z.string(),
    duplicateOf: uuid.nullable(),
    circulatorId: uuid,
    createdAt: z.string(),
  })
  .meta({ id: 'SignatureReceipt' });

export const batchResult = z.object({
  results: z.array(
    z.object({
      idempotencyKey: z.string().nullable(),
      status: z.number().int(),
      signature: signatureReceipt.optional(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});

export const signatureRecord = signatureReceipt
  .extend({
    reason: z.enum(INVALID_REASONS).nullable(),
    signedAt: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    city: z.string().nullable(),
    zip: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    sectionNumber: z.number().int().nullable(),
    line: z.number().int().nullable(),
  })
  .meta({ id: 'Signature' });

export const listQuery = z.strictObject({
  status: z.enum(SIGNATURE_STATUSES).optional(),
  county: fips.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: storable().max(200).optional(),
  circulator: z
    .literal('me')
    .optional()
    .meta({ description: 'Only the signers the caller collected, whatever the caller’s role' }),
});

export const signatureParams = petitionRef.extend({ signatureId: uuid });

export const statusBody = z
  .strictObject({ status: z.enum(SIGNATURE_STATUSES), reason: z.enum(INVALID_REASONS).nullish() })
  .refine((b) => b.status !== 'invalid' || b.reason, {
    path: ['reason'],
    message: 'is required when invalid',
  })
  .refine((b) => b.status === 'invalid' || !b.reason, {
    path: ['reason'],
    message: 'only goes with invalid',
  });
