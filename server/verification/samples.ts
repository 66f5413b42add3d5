import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { NotFoundError } from '../http/errors';
import { isoTime } from '../http/schemas';
import type { Petition } from '../petitions/repo';
import { readTallies } from '../tallies/store';
import { projectSample, sampleSizeFor, type CountySampleCounts } from './projection';

/*
 * Each signer gets a reproducible pseudo-random rank: a hash of its id keyed by the seed. A county's
 * sample is its `sample_size` lowest ranks. Ranking only the signers whose hash falls under 1.3 times the
 * sampling fraction (plus a margin) gives the same result as ranking them all, at a fraction of the
 * sort, whenever enough of them pass; the caller checks that and redraws a county that comes up short.
 */
const DRAW = `
  insert into sample_signatures (sample_id, petition_id, signature_id, county_fips)
  select :sampleId, :petitionId, x.id, x.county_fips
    from (select s.id, s.county_fips,
                 row_number() over (partition by s.county_fips order by h.rank, s.id) as rn
            from signatures s
            cross join lateral (select hashtextextended(s.id::text, hashtext(:seed)) as rank) h
            join sample_counties c on c.petition_id = :petitionId and c.sample_id = :sampleId and c.county_fips = s.county_fips
           where s.petition_id = :petitionId
             and (not :prefilter or c.raw <= c.sample_size
                  or h.rank < (-9223372036854775808 + least(1.0, 1.3 * c.sample_size / c.raw + 0.002) * 18446744073709551615)::numeric)
         ) x
    join sample_counties sc on sc.petition_id = :petitionId and sc.sample_id = :sampleId and sc.county_fips = x.county_fips
   where x.rn <= sc.sample_size`;

/**
 * Draws the random sample of each county: the greater of 500 or 3 % of its raw count, ordered by a
 * hash of the seed and the signature id, so the same seed over the same signers draws the same sample.
 * The raw counts and the draw come from one snapshot.
 */
export async function drawSample(
  knex: Knex,
  petition: Petition,
  actorId: string,
  seed?: string,
): Promise<string> {
  const chosen = seed ?? randomBytes(8).toString('hex');
  return knex.transaction(
    async (trx) => {
      const [row] = await trx('samples')
        .insert({ petition_id: petition.id, seed: chosen, created_by: actorId })
        .returning('id');
      const sampleId = row.id as string;
      // Sorting a million signers by their hash fits in memory with this (the default spills to disk).
      await trx.raw("set local work_mem = '128MB'");
      const tallies = await readTallies(trx, petition.id);
      const counties = petition.counties.map((c) => {
        const t = tallies.counties.get(c.fips);
        const raw = t ? t.pending + t.valid + t.invalid + t.duplicate : 0;
        return {
          petition_id: petition.id,
          sample_id: sampleId,
          county_fips: c.fips,
          raw,
          sample_size: sampleSizeFor(raw),
        };
      });
      await trx('sample_counties').insert(counties);
      await trx.raw(DRAW, { sampleId, petitionId: petition.id, seed: chosen, prefilter: true });
      // A county the pre-filter left short (vanishingly rare) is drawn again over all its signers.
      const short = await trx.raw<{ rows: { county_fips: string }[] }>(
        `select sc.county_fips from sample_counties sc
           left join sample_signatures ss
             on ss.petition_id = sc.petition_id and ss.sample_id = sc.sample_id and ss.county_fips = sc.county_fips
          where sc.petition_id = ? and sc.sample_id = ? group by sc.county_fips, sc.sample_size having count(ss.signature_id) < sc.sample_size`,
        [petition.id, sampleId],
      );
      for (const { county_fips } of short.rows) {
        await trx('sample_signatures')
          .where({ petition_id: petition.id, sample_id: sampleId, county_fips })
          .delete();
        await trx.raw(`${DRAW} and x.county_fips = :county`, {
          sampleId,
          petitionId: petition.id,
          seed: chosen,
          prefilter: false,
          county: county_fips,
        });
      }
      return sampleId;
    },
    { isolationLevel: 'repeatable read' },
  );
}

/**
 * The projection of a stored sample from the sampled signers' statuses as they stand now. A sampled
 * signature whose signer has an earlier signature in the sample is a duplicate (never valid); a
 * signature marked duplicate whose first signature is not in the sample counts as checked, not valid.
 */
export async function sampleDocument(knex: Knex, petition: Petition, sampleId: string) {
  const sample = await knex('samples')
    .where({ id: sampleId, petition_id: petition.id })
    .first('id', 'seed', 'created_at');
  if (!sample) throw new NotFoundError('No such sample of this petition.');
  const { rows } = await knex.raw<{
    rows: { fips: string; checked: number; valid: number; duplicates: number }[];
  }>(
    `with sampled as (
       select ss.county_fips, s.status,
              row_number() over (partition by coalesce(s.duplicate_of, s.id) order by s.created_at, s.id) > 1 as repeat
         from sample_signatures ss
         join signatures s on s.petition_id = ss.petition_id and s.id = ss.signature_id
        where ss.petition_id = :petitionId and ss.sample_id = :sampleId)
     select county_fips as fips,
            count(*) filter (where status <> 'pending' or repeat)::int as checked,
            count(*) filter (where status = 'valid' and not repeat)::int as valid,
            count(*) filter (where repeat)::int as duplicates
       from sampled group by county_fips`,
    { sampleId, petitionId: petition.id },
  );
  const byCounty = new Map(rows.map((r) => [r.fips, r]));
  const sizes = await knex('sample_counties')
    .where({ petition_id: petition.id, sample_id: sampleId })
    .select('county_fips', 'raw', 'sample_size');
  const sizeOf = new Map(sizes.map((s) => [s.county_fips as string, s]));
  const counties: CountySampleCounts[] = petition.counties.map((c) => {
    const s = sizeOf.get(c.fips);
    const r = byCounty.get(c.fips);
    return {
      fips: c.fips,
      name: c.name,
      raw: s?.raw ?? 0,
      sampleSize: s?.sample_size ?? 0,
      checked: r?.checked ?? 0,
      valid: r?.valid ?? 0,
      duplicates: r?.duplicates ?? 0,
    };
  });
  return {
    id: sample.id as string,
    seed: sample.seed as string,
    createdAt: isoTime(sample.created_at),
    signaturesRequired: petition.signaturesRequired,
    ...projectSample(counties, petition.signaturesRequired),
  };
}

export type SampleDocument = Awaited<ReturnType<typeof sampleDocument>>;
