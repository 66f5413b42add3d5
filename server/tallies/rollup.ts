import type { Knex } from 'knex';

const ROLLUP_LOCK = 7_411_001;

/**
 * Folds pending tally deltas into the per-county, per-hour and (for the last eight days) per-second
 * tallies, and the sections' deltas into their per-county tallies. One process at a time does it
 * (an advisory lock); a reader sees either the deltas or their sums, never both, because the delete and
 * the upserts are one statement.
 */
export async function rollupTallies(knex: Knex): Promise<number> {
  return knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: { locked: boolean }[] }>(
      'select pg_try_advisory_xact_lock(?) as locked',
      [ROLLUP_LOCK],
    );
    if (!rows[0]?.locked) return 0;
    const result = await trx.raw<{ rows: { moved: number }[] }>(
      `with moved as (delete from tally_deltas returning petition_id, county_fips, status, signed_hour, signed_second, n),
       counties as (
         insert into county_tallies (petition_id, county_fips, status, n)
         select petition_id, county_fips, status, sum(n) from moved group by 1, 2, 3
         on conflict (petition_id, county_fips, status) do update set n = county_tallies.n + excluded.n
         returning 1),
       hours as (
         insert into hourly_tallies (petition_id, hour, n)
         select petition_id, signed_hour, sum(n) from moved group by 1, 2
         on conflict (petition_id, hour) do update set n = hourly_tallies.n + excluded.n
         returning 1),
       seconds as (
         insert into second_tallies (petition_id, second, n)
         select petition_id, signed_second, sum(n) from moved where signed_second is not null group by 1, 2
         on conflict (petition_id, second) do update set n = second_tallies.n + excluded.n
         returning 1),
       pruned as (
         delete from second_tallies
          where petition_id in (select distinct petition_id from moved)
            and second < now() - interval '8 days'
         returning 1)
       select (select count(*) from moved)::int as moved,
              (select count(*) from counties)::int + (select count(*) from hours)::int as touched`,
    );
    await trx.raw(
      `with moved as (delete from section_deltas returning petition_id, county_fips, status, n, lines)
       insert into section_tallies (petition_id, county_fips, status, n, lines)
       select petition_id, county_fips, status, sum(n), sum(lines) from moved group by 1, 2, 3
       on conflict (petition_id, county_fips, status)
         do update set n = section_tallies.n + excluded.n, lines = section_tallies.lines + excluded.lines`,
    );
    return result.rows[0]?.moved ?? 0;
  });
}

/** Runs the rollup every few seconds until stopped. */
export function scheduleRollup(
  knex: Knex,
  everyMs: number,
  onError: (err: unknown) => void,
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = rollupTallies(knex).catch(onError);
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
