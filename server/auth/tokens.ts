import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

const PREFIX = 'pet_';

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A bearer token acting as the user; only its hash is stored, so it can be shown once. */
export async function issueToken(
  knex: Knex,
  userId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const [row] = await knex('api_tokens')
    .insert({ user_id: userId, name, token_hash: digest(token) })
    .returning('id');
  return { id: row.id, token };
}

export async function userIdForToken(knex: Knex, token: string): Promise<string | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const row = await knex('api_tokens')
    .where({ token_hash: digest(token) })
    .first('user_id');
  return row?.user_id;
}
