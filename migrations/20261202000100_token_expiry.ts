import type { Knex } from 'knex';

/** Bearer tokens expire (tokens made before this change get 90 days from now) and record their last use. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table api_tokens
                    add column expires_at timestamptz,
                    add column last_used_at timestamptz`);
  await knex.raw(`update api_tokens set expires_at = now() + interval '90 days'`);
  await knex.raw('alter table api_tokens alter column expires_at set not null');
  await knex.raw('create index api_tokens_user on api_tokens (user_id, created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index api_tokens_user');
  await knex.raw('alter table api_tokens drop column last_used_at, drop column expires_at');
}
