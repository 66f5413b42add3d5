import type { Knex } from 'knex';
import { setAuditActor } from '../audit/record';
import { ConflictError } from '../http/errors';
import { Interrupted } from '../jobs';
import type { Petition } from '../petitions/repo';
import { SIGNER_KEYS_SQL } from './voter-row';

export interface RunCounts {
  checked: number;
  valid: number;
  notRegistered: number;
  wrongCounty: number;
  needsReview: number;
}

/*
 * One chunk of pending signers, matched against the state's voters in one statement:
 *  - exactly one active voter with the same normalized name and address in the signer's county → valid;
 *  - several such voters → a person decides (review);
 *  - active matches only in other counties → invalid, wrong_county;
 *  - matches that are all inactive or cancelled → invalid, not_registered;
 *  - no exact match, but a voter at the same address or with the same name in the same ZIP (a typo, a
 *    missing house number) → review;
 *  - nothing at all → invalid, not_registered.
 * Decisions go through the same UPDATE as manual ones, so tallies and the audit trigger see them.
 * The chunk's signers are locked as they are read, and a signer that an organizer decided meanwhile
 * (committed before the lock was granted) is no longer pending, so it is left out: the run never
 * writes over a person's decision, nor queues it for review. An organizer's change that comes after
 * waits for the chunk and then wins.
 */
const MATCH_CHUNK = `
  with s as (
    select s.id, s.county_fips, s.match_key,
           ${SIGNER_KEYS_SQL.addressKey} as address_key,
           ${SIGNER_KEYS_SQL.nameZipKey} as name_zip_key
      from signatures s
     where s.petition_id = :petitionId and s.status = 'pending' and s.match_key is not null
       and s.id > :after and s.id <= :upTo
       for update
  ),
  exact as (
    select s.id,
           count(*) filter (where v.status = 'active' and v.county_fips = s.county_fips) as here,
           count(*) filter (where v.status = 'active' and v.county_fips <> s.county_fips) as elsewhere,
           count(*) filter (where v.status <> 'active') as inactive
      from s join voters v on v.state = :state and v.match_key = s.match_key
     group by s.id
  ),
  decided as (
    select s.id,
           case
             when e.here = 1 then 'valid'
             when e.here > 1 then 'several_candidates'
             when e.elsewhere > 0 then 'wrong_county'
             when e.inactive > 0 then 'not_registered'
             when exists (select 1 from voters v where v.state = :state and v.address_key = s.address_key)
               or exists (select 1 from voters v where v.state = :state and v.name_zip_key = s.name_zip_key)
               then 'near_miss'
             else 'not_registered'
           end as outcome
      from s left join exact e on e.id = s.id
  ),
  changed as (
    update signatures t
       set status = case d.outcome when 'valid' then 'valid' else 'invalid' end,
           reason = case d.outcome when 'valid' then null else d.outcome end,
           updated_at = now()
      from decided d
     where t.petition_id = :petitionId and t.id = d.id and t.status = 'pending'
       and d.outcome in ('valid', 'wrong_county', 'not_registered')
    returning t.id
  ),
  cleared as (
    delete from review_items r using changed c where r.petition_id = :petitionId and r.signature_id = c.id
  ),
  queued as (
    insert into review_items (petition_id, signature_id, run_id, reason)
    select :petitionId, id, :runId, outcome from decided where outcome in ('several_candidates', 'near_miss')
    on conflict (petition_id, signature_id) do update set run_id = excluded.run_id, reason = excluded.reason
    returning 1
  )
  select count(*)::int as checked,
         count(*) filter (where outcome = 'valid')::int as valid,
         count(*) filter (where outcome = 'not_registered')::int as "notRegistered",
         count(*) filter (where outcome = 'wrong_county')::int as "wrongCounty",
         (select count(*) from queued)::int as "needsReview"
    from decided`;

const UNIQUE_VIOLATION = '23505';
const ABANDONED_AFTER_MINUTES = 10;

export async function beginRun(knex: Knex, petition: Petition, actorId: string): Promise<string> {
  if (petition.purgedAt) throw new ConflictError('The petition was purged: there is nothing left to check.');
  const voters = await knex.raw<{ rows: unknown[] }>('select 1 from voters where state = ? limit 1', [
    petition.state,
  ]);
  if (!voters.rows.length) {
    throw new ConflictError(`There is no voter file for ${petition.state} yet: import one first.`);
  }
  // A run whose process died (no chunk done for a long while) no longer holds the petition.
  await knex('verification_runs')
    .where({ petition_id: petition.id, status: 'running' })
    .where('heartbeat_at', '<', knex.raw(`now() - interval '${ABANDONED_AFTER_MINUTES} minutes'`))
    .update({ status: 'failed', error: 'abandoned: its process stopped', finished_at: knex.fn.now() });
  try {
    const [row] = await knex('verification_runs')
      .insert({ petition_id: petition.id, created_by: actorId })
      .returning('id');
    return row.id as string;
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new ConflictError('A verification run of this petition is already under way.');
    }
    throw err;
  }
}

/**
 * Matches every pending signer of the petition against the voter file, a chunk of signers (by id) per
 * short transaction, and keeps the run's counts up to date as it goes.
 */
export async function runVerification(
  knex: Knex,
  petition: Petition,
  runId: string,
  actorId: string,
  opts: { chunk?: number; onChunk?: () => void; signal?: AbortSignal } = {},
): Promise<RunCounts> {
  const chunk = opts.chunk ?? (knex.client.config.client === 'pg' ? 50_000 : 5_000);
  const totals: RunCounts = { checked: 0, valid: 0, notRegistered: 0, wrongCounty: 0, needsReview: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new Interrupted();
      // The chunk's upper bound: the id `chunk` pending signers further on (or the last one).
      const bound = await knex('signatures')
        .where({ petition_id: petition.id, status: 'pending' })
        .where('id', '>', after)
        .orderBy('id')
        .offset(chunk - 1)
        .first('id');
      const last = bound
        ? undefined
        : await knex('signatures')
            .where({ petition_id: petition.id, status: 'pending' })
            .where('id', '>', after)
            .orderBy('id', 'desc')
            .first('id');
      const upTo: string | undefined = bound?.id ?? last?.id;
      if (!upTo) break;
      const counts = await knex.transaction(async (trx) => {
        await setAuditActor(trx, actorId, { via: 'verification', runId });
        const { rows } = await trx.raw<{ rows: RunCounts[] }>(MATCH_CHUNK, {
          petitionId: petition.id,
          state: petition.state,
          runId,
          after,
          upTo,
        });
        return rows[0] as RunCounts;
      });
      for (const k of Object.keys(totals) as (keyof RunCounts)[]) totals[k] += counts[k];
      await knex('verification_runs')
        .where({ petition_id: petition.id, id: runId })
        .update({ ...snake(totals), heartbeat_at: knex.fn.now() });
      opts.onChunk?.();
      after = upTo;
      if (!bound) break;
    }
    await knex('verification_runs')
      .where({ petition_id: petition.id, id: runId })
      .update({ ...snake(totals), status: 'done', finished_at: knex.fn.now() });
    return totals;
  } catch (err) {
    await knex('verification_runs')
      .where({ petition_id: petition.id, id: runId })
      .update({
        ...snake(totals),
        status: 'failed',
        error: 'the run failed; see the server log',
        finished_at: knex.fn.now(),
      })
      .catch(() => undefined);
    throw err;
  }
}

function snake(c: RunCounts) {
  return {
    checked: c.checked,
    valid: c.valid,
    not_registered: c.notRegistered,
    wrong_county: c.wrongCounty,
    needs_review: c.needsReview,
  };
}
