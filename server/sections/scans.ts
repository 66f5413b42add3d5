import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/record';
import { NotFoundError, UnsupportedMediaTypeError } from '../http/errors';
import { SCAN_TYPES } from './schemas';

export type ScanType = (typeof SCAN_TYPES)[number];

/** How each kind of file begins: a body that claims one type and is another is refused. */
const MAGIC: Record<ScanType, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
};

export function scanType(contentType: string | undefined): ScanType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() as ScanType;
  if (!SCAN_TYPES.includes(type))
    throw new UnsupportedMediaTypeError('Send the scan as image/jpeg, image/png or application/pdf.');
  return type;
}

export function assertScanBody(type: ScanType, body: Buffer): void {
  if (!MAGIC[type].every((byte, i) => body[i] === byte))
    throw new UnsupportedMediaTypeError(`The body is not a ${type} file.`);
}

/**
 * Keeps a section's scan in the database, beside the signers, in one statement: a failed upload
 * leaves the previous scan (or none) as it was. Backing up the database backs up the scans.
 */
export async function putScan(
  knex: Knex,
  petitionId: string,
  number: number,
  type: ScanType,
  bytes: Buffer,
  actorId: string,
): Promise<void> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await knex.transaction(async (trx) => {
    await trx('section_scans')
      .insert({ petition_id: petitionId, number, content_type: type, bytes, sha256, uploaded_by: actorId })
      .onConflict(['petition_id', 'number'])
      .merge(['content_type', 'bytes', 'sha256', 'uploaded_by', 'uploaded_at']);
    await recordAudit(trx, {
      actorId,
      action: 'section.scan_stored',
      petitionId,
      detail: { number, type, bytes: bytes.length, sha256 },
    });
  });
}

/** A section's scan; every read is audited. */
export async function readScan(knex: Knex, petitionId: string, number: number, actorId: string) {
  const scan = await knex('section_scans')
    .where({ petition_id: petitionId, number })
    .first('content_type as contentType', 'bytes', 'sha256');
  if (!scan) throw new NotFoundError('This section has no scan.');
  await recordAudit(knex, { actorId, action: 'section.scan_read', petitionId, detail: { number } });
  return {
    contentType: scan.contentType as ScanType,
    bytes: Buffer.from(scan.bytes),
    sha256: scan.sha256 as string,
  };
}
