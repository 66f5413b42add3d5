import type { Knex } from 'knex';
import { MIN_CHECKED } from '../tallies/progress';

/**
 * Per volunteer: what they collected and how it checked out, with flags where a rate stands out from
 * the petition's (training needed, or a pattern worth a look for fraud).
 */
export async function circulatorStats(knex: Knex, petitionId: string) {
  const { rows } = await knex.raw<{
    rows: {
      userId: string;
      name: string;
      raw: number;
      pending: number;
      valid: number;
      invalid: number;
      duplicate: number;
      last7Days: number;
    }[];
  }>(
    `select s.circulator_id as "userId", u.name,
            count(*)::int as raw,
            count(*) filter (where s.status = 'pending')::int as pending,
            count(*) filter (where s.status = 'valid')::int as valid,
            count(*) filter (where s.status = 'invalid')::int as invalid,
            count(*) filter (where s.status = 'duplicate')::int as duplicate,
            count(*) filter (where s.signed_at >= now() - interval '7 days')::int as "last7Days"
       from signatures s join users u on u.id = s.circulator_id
      where s.petition_id = ?
      group by s.circulator_id, u.name
      order by raw desc, u.name`,
    [petitionId],
  );
  const all = rows.reduce(
    (a, r) => ({
      valid: a.valid + r.valid,
      checked: a.checked + r.valid + r.invalid,
      dup: a.dup + r.duplicate,
      raw: a.raw + r.raw,
    }),
    { valid: 0, checked: 0, dup: 0, raw: 0 },
  );
  const petitionValidity = all.checked ? all.valid / all.checked : null;
  const petitionDuplicates = all.raw ? all.dup / all.raw : 0;
  return {
    petition: { validityRate: petitionValidity, duplicateRate: petitionDuplicates },
    items: rows.map((r) => {
      const checked = r.valid + r.invalid;
      const validityRate = checked ? r.valid / checked : null;
      const duplicateRate = r.raw ? r.duplicate / r.raw : 0;
      const flags: string[] = [];
      if (
        validityRate !== null &&
        petitionValidity !== null &&
        checked >= MIN_CHECKED &&
        validityRate < petitionValidity - 0.15
      ) {
        flags.push('low_validity');
      }
      if (r.raw >= MIN_CHECKED && duplicateRate > Math.max(0.05, 3 * petitionDuplicates))
        flags.push('high_duplicates');
      return { ...r, validityRate, duplicateRate, flags };
    }),
  };
}
