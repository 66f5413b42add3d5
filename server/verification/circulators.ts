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
      sectionsOut: number;
      oldestOutSince: string | null;
      linesCounted: number;
    }[];
  }>(
    `with signed as (
       select circulator_id,
              count(*)::int as raw,
              count(*) filter (where status = 'pending')::int as pending,
              count(*) filter (where status = 'valid')::int as valid,
              count(*) filter (where status = 'invalid')::int as invalid,
              count(*) filter (where status = 'duplicate')::int as duplicate,
              count(*) filter (where signed_at >= now() - interval '7 days')::int as last7
         from signatures where petition_id = :id group by circulator_id),
     carried as (
       select circulator_id,
              count(*) filter (where status = 'issued')::int as out,
              min(issued_at) filter (where status = 'issued') as oldest,
              coalesce(sum(lines_counted) filter (where status in ('counted', 'filed')), 0)::int as lines
         from sections where petition_id = :id and circulator_id is not null group by circulator_id)
     select u.id as "userId", u.name,
            coalesce(g.raw, 0) as raw, coalesce(g.pending, 0) as pending, coalesce(g.valid, 0) as valid,
            coalesce(g.invalid, 0) as invalid, coalesce(g.duplicate, 0) as duplicate,
            coalesce(g.last7, 0) as "last7Days",
            coalesce(c.out, 0) as "sectionsOut",
            to_char(c.oldest at time zone 'UTC', 'YYYY-MM-DD') as "oldestOutSince",
            coalesce(c.lines, 0) as "linesCounted"
       from signed g full join carried c on c.circulator_id = g.circulator_id
       join users u on u.id = coalesce(g.circulator_id, c.circulator_id)
      order by raw desc, u.name`,
    { id: petitionId },
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
