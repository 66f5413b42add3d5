import type { Knex } from 'knex';
import { loadCountyDataset } from './dataset';

/** Makes the counties table match the shipped dataset; cheap when it already does. */
export async function syncCounties(knex: Knex): Promise<void> {
  const counties = loadCountyDataset();
  const [{ count }] = (await knex('counties').count({ count: '*' })) as [{ count: number }];
  if (Number(count) === counties.length) return;
  const rows = counties.map((c) => ({ fips: c.fips, state: c.state, state_fips: c.stateFips, name: c.name }));
  for (let i = 0; i < rows.length; i += 500) {
    await knex('counties')
      .insert(rows.slice(i, i + 500))
      .onConflict('fips')
      .merge(['state', 'state_fips', 'name']);
  }
}

export async function countiesOfState(knex: Knex, state: string): Promise<{ fips: string; name: string }[]> {
  return knex('counties').where({ state }).orderBy('fips').select('fips', 'name');
}
