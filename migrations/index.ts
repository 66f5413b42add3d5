import type { Knex } from 'knex';
import * as m0100 from './20261121000100_create_users_and_sessions';
import * as m0200 from './20261121000200_create_counties';
import * as m0300 from './20261121000300_create_petitions';
import * as m0400 from './20261121000400_create_signatures';
import * as m0500 from './20261121000500_create_tallies';
import * as m0600 from './20261121000600_create_audit_log';
import * as m0700 from './20261121000700_create_voters';
import * as m0800 from './20261121000800_create_verification';
import * as m1100 from './20261202000100_token_expiry';
import * as m1200 from './20261202000200_signatures_keep_their_county';
import * as m1300 from './20261202000300_signatures_only_while_open';
import * as m1400 from './20261202000400_recent_second_tallies';
import * as m1500 from './20261202000500_unicode_match_keys';
import * as m2100 from './20261203000100_create_sections';
import * as m3100 from './20261204000100_keys_lead_with_petition';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Listed explicitly so the same migrations load under tsx, jest and a bundled build alike. */
const migrations: Record<string, Migration> = {
  '20261121000100_create_users_and_sessions': m0100,
  '20261121000200_create_counties': m0200,
  '20261121000300_create_petitions': m0300,
  '20261121000400_create_signatures': m0400,
  '20261121000500_create_tallies': m0500,
  '20261121000600_create_audit_log': m0600,
  '20261121000700_create_voters': m0700,
  '20261121000800_create_verification': m0800,
  '20261202000100_token_expiry': m1100,
  '20261202000200_signatures_keep_their_county': m1200,
  '20261202000300_signatures_only_while_open': m1300,
  '20261202000400_recent_second_tallies': m1400,
  '20261202000500_unicode_match_keys': m1500,
  '20261203000100_create_sections': m2100,
  '20261204000100_keys_lead_with_petition': m3100,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
