import { randomUUID } from 'node:crypto';
import { up as rekey } from '../../migrations/20261202000500_unicode_match_keys';
import { recount } from '../../server/tallies/recount';
import { makeMember, makePetition, postSigner, signer } from '../support/factories';
import { useTestApp, type TestApp } from '../support/app';

const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

const at = { addressLine1: '1 Main St', zip: '94601', countyFips: '06001' };

describe('names in every script', () => {
  it('when two different people with Chinese names sign at one address, then neither is a duplicate', async () => {
    const { petition } = await makePetition(t.ctx);
    const volunteer = await makeMember(t.ctx, petition.id, 'volunteer');
    const wang = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ ...at, firstName: '伟', lastName: '王' }),
    );
    const li = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ ...at, firstName: '娜', lastName: '李' }),
    );
    expect([wang.body.status, li.body.status]).toEqual(['pending', 'pending']);
    const again = await postSigner(
      t.app,
      petition.id,
      volunteer,
      signer({ ...at, firstName: '伟 ', lastName: '王' }),
    );
    expect(again.body).toMatchObject({ status: 'duplicate', duplicateOf: wang.body.id });
  });

  it('repairs signers stored under the old keys: a false duplicate becomes an original again, tallies stay exact', async () => {
    const { petition, admin } = await makePetition(t.ctx);
    const insert = (fields: Record<string, unknown>) =>
      t.ctx
        .knex('signatures')
        .insert({
          petition_id: petition.id,
          idempotency_key: randomUUID(),
          request_hash: 'old',
          circulator_id: admin.id,
          address_line1: '1 Main St',
          city: 'Oakland',
          zip: '94601',
          county_fips: '06001',
          signed_at: new Date(),
          ...fields,
        })
        .returning('id')
        .then(([row]) => row.id as string);
    // As the old normalization stored them: the names' letters were dropped from the key.
    const wang = await insert({ first_name: '伟', last_name: '王', match_key: '||1 main st|94601' });
    const li = await insert({
      first_name: '娜',
      last_name: '李',
      match_key: '||1 main st|94601',
      status: 'duplicate',
      duplicate_of: wang,
    });
    const soren = await insert({
      first_name: 'Søren',
      last_name: 'Olsen',
      match_key: 's ren|olsen|1 main st|94601',
    });
    const plainSoren = await insert({
      first_name: 'Soren',
      last_name: 'Olsen',
      match_key: 'soren|olsen|1 main st|94601',
    });

    await rekey(t.ctx.knex);

    const rows = await t.ctx
      .knex('signatures')
      .whereIn('id', [wang, li, soren, plainSoren])
      .select('id', 'status', 'duplicate_of', 'match_key');
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(wang)).toMatchObject({ status: 'pending', match_key: '伟|王|1 main st|94601' });
    expect(byId.get(li)).toMatchObject({
      status: 'pending',
      duplicate_of: null,
      match_key: '娜|李|1 main st|94601',
    });
    // Søren's new key is Soren's: two originals already, neither is turned into a duplicate.
    expect(byId.get(soren)).toMatchObject({ status: 'pending', match_key: 's ren|olsen|1 main st|94601' });
    expect(byId.get(plainSoren)).toMatchObject({
      status: 'pending',
      match_key: 'soren|olsen|1 main st|94601',
    });
    const audit = await t.ctx.knex('audit_log').where({ subject_id: li, action: 'signature.status_changed' });
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ from: 'duplicate', to: 'pending', via: 'migration' });
    expect((await recount(t.ctx.knex)).drift).toEqual([]);
  });
});
