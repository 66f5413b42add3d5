import type { Section } from '../shared/types';
import { MAX_LINE } from './form';
import type { OutboxRecord } from './store';

/**
 * The line the next signer on a section goes on: after the highest line this device used or still
 * holds a record for, and after as many lines as the server has signers for (lines are filled in
 * order on paper); never past the last line a sheet can have.
 */
export function nextLine(
  section: Pick<Section, 'number' | 'linesEntered'>,
  records: Pick<OutboxRecord, 'petitionId' | 'signer'>[],
  petitionId: string,
  lastUsed = 0,
): number {
  const waiting = records
    .filter((r) => r.petitionId === petitionId && r.signer.sectionNumber === section.number)
    .map((r) => r.signer.line ?? 0);
  return Math.min(MAX_LINE, Math.max(lastUsed, section.linesEntered, ...waiting) + 1);
}
