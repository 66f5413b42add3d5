import type { Knex } from 'knex';
import type { z } from 'zod';
import { recordAudit, setAuditActor } from '../audit/record';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors';
import { isoTime, uuid } from '../http/schemas';
import type { listQuery, statusBody } from './schemas';

const RECORD = [
  'id',
  'status',
  'reason',
  'county_fips as countyFips',
  'duplicate_of as duplicateOf',
  'circulator_id as circulatorId',
  'created_at as createdAt',
  'signed_at as signedAt',
  'first_name as firstName',
  'last_name as lastName',
  'address_line1 as addressLine1',
  'address_line2 as addressLine2',
  'city',
  'zip',
  'date_of_birth as dateOfBirth',
  'email',
  'phone',
  'section_number as sectionNumber',
  'line',
];

function toRecord<T extends { createdAt: Date | string; signedAt: Date | string }>(row: T) {
  return { ...row, createdAt: isoTime(row.createdAt), signedAt: isoTime(row.signedAt) };
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

// The form encodeCursor writes: microseconds, UTC.
const CURSOR_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const known = uuid.safeParse(id);
  if (!at || !CURSOR_TIME.test(at) || Number.isNaN(Date.parse(at)) || !known.success) {
    throw new BadRequestError('The cursor is not one this API gave out.', {
      errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
    });
  }
  return [at, known.data];
}

/** A page of signers, newest first; each read is audited (who, which filters, how many rows). */
export async function listSignatures(
  knex: Knex,
  petitionId: string,
  viewer: { id: string; ownOnly: boolean },
  query: z.infer<typeof listQuery>,
) {
  const q = knex('signatures')
    .where({ petition_id: petitionId })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(query.limit + 1)
    .select([
      ...RECORD,
      knex.raw(`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`),
    ]);
  if (viewer.ownOnly) q.where({ circulator_id: viewer.id });
  if (query.status) q.where({ status: query.status });
  if (query.county) q.where({ county_fips: query.county });
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    q.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [at, id]);
  }
  const rows = await q;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null;
  await recordAudit(knex, {
    actorId: viewer.id,
    action: 'signatures.listed',
    petitionId,
    detail: {
      status: query.status ?? null,
      county: query.county ?? null,
      rows: page.length,
      ownOnly: viewer.ownOnly,
    },
  });
  return { items: page.map(({ cursor_at: _c, ...row }) => toRecord(row)), nextCursor };
}

/** Changes a signer's verification status; the audit trigger records who did it and why. */
export async function changeStatus(
  knex: Knex,
  petitionId: string,
  signatureId: string,
  actorId: string,
  change: z.infer<typeof statusBody>,
) {
  const row = await knex.transaction(async (trx) => {
    // Shares the petition's row with other changes and waits out a purge, which makes it final.
    const petition = await trx('petitions').where({ id: petitionId }).forShare().first('purged_at');
    if (petition?.purged_at)
      throw new ConflictError('The petition was purged: its signers no longer change.');
    await setAuditActor(trx, actorId, { via: 'api' });
    if (change.status !== 'pending') {
      await trx('review_items').where({ petition_id: petitionId, signature_id: signatureId }).delete();
    }
    const [updated] = await trx('signatures')
      .where({ petition_id: petitionId, id: signatureId })
      .update({ status: change.status, reason: change.reason ?? null, updated_at: trx.fn.now() })
      .returning(RECORD);
    return updated;
  });
  if (!row) throw new NotFoundError('No such signature in this petition.');
  return toRecord(row);
}
