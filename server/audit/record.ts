import type { Knex } from 'knex';

export interface AuditEntry {
  actorId: string | undefined;
  action: string;
  petitionId?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log (which refuses updates and deletes). Never put personal data in `detail`. */
export async function recordAudit(knex: Knex, entry: AuditEntry): Promise<void> {
  await knex('audit_log').insert({
    actor_id: entry.actorId ?? null,
    action: entry.action,
    petition_id: entry.petitionId ?? null,
    subject_id: entry.subjectId ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
  });
}

/** Names the acting user (and context) for the triggers that audit changes inside this transaction. */
export async function setAuditActor(
  trx: Knex.Transaction,
  actorId: string | undefined,
  context = {},
): Promise<void> {
  await trx.raw("select set_config('app.actor_id', ?, true), set_config('app.audit_context', ?, true)", [
    actorId ?? '',
    JSON.stringify(context),
  ]);
}
