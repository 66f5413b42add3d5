import type { Knex } from 'knex';

/*
 * Append-only: rows can be inserted, never changed or removed. Every change of a signer's status is
 * written by a trigger, so no code path (API, verification job, script) can skip it; the acting user
 * and context come from the transaction-local settings app.actor_id and app.audit_context.
 */
const statements = [
  `create table audit_log (
     id bigint generated always as identity primary key,
     at timestamptz not null default now(),
     actor_id uuid,
     action text not null,
     petition_id uuid,
     subject_id uuid,
     detail jsonb not null default '{}'::jsonb
   )`,
  'create index audit_log_petition on audit_log (petition_id, at)',
  `create function audit_log_append_only() returns trigger language plpgsql as $$
   begin
     raise exception 'audit_log is append-only';
   end $$`,
  `create trigger audit_log_no_update before update or delete on audit_log
     for each row execute function audit_log_append_only()`,
  `create trigger audit_log_no_truncate before truncate on audit_log
     for each statement execute function audit_log_append_only()`,
  `create function signatures_audit_status() returns trigger language plpgsql as $$
   begin
     insert into audit_log (actor_id, action, petition_id, subject_id, detail)
     select nullif(current_setting('app.actor_id', true), '')::uuid,
            'signature.status_changed', n.petition_id, n.id,
            jsonb_build_object('from', o.status, 'to', n.status, 'reason', n.reason)
              || coalesce(nullif(current_setting('app.audit_context', true), '')::jsonb, '{}'::jsonb)
       from old_rows o
       join new_rows n on n.petition_id = o.petition_id and n.id = o.id
      where o.status is distinct from n.status or o.reason is distinct from n.reason;
     return null;
   end $$`,
  `create trigger signatures_audit_status after update on signatures
     referencing old table as old_rows new table as new_rows
     for each statement execute function signatures_audit_status()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger signatures_audit_status on signatures');
  await knex.raw('drop function signatures_audit_status()');
  await knex.raw('drop table audit_log');
  await knex.raw('drop function audit_log_append_only()');
}
