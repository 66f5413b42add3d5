import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { ChangeBus } from '../events/bus';
import { isoTime } from '../http/schemas';

const PREFIX = 'pet_';
const DAY_MS = 86_400_000;
export const DEFAULT_TOKEN_DAYS = 90;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenInfo {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

const INFO = [
  'id',
  'name',
  'created_at as createdAt',
  'expires_at as expiresAt',
  'last_used_at as lastUsedAt',
];

type InfoRow = Record<keyof TokenInfo, string | Date | null> & { id: string; name: string };

function toInfo(row: InfoRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    createdAt: isoTime(row.createdAt as Date),
    expiresAt: isoTime(row.expiresAt as Date),
    lastUsedAt: row.lastUsedAt ? isoTime(row.lastUsedAt) : null,
  };
}

/** A bearer token acting as the user; only its hash is stored, so it can be shown once. */
export async function issueToken(
  knex: Knex,
  userId: string,
  name: string,
  days = DEFAULT_TOKEN_DAYS,
): Promise<TokenInfo & { token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const [row] = await knex('api_tokens')
    .insert({
      user_id: userId,
      name,
      token_hash: digest(token),
      expires_at: new Date(Date.now() + days * DAY_MS),
    })
    .returning(INFO);
  return { ...toInfo(row), token };
}

export async function listTokens(knex: Knex, userId: string): Promise<TokenInfo[]> {
  const rows = await knex('api_tokens').where({ user_id: userId }).orderBy(['created_at', 'id']).select(INFO);
  return rows.map(toInfo);
}

/** Deletes a token of `ownerId` (any user's when `ownerId` is undefined); the owner, if it existed. */
export async function deleteToken(
  knex: Knex,
  id: string,
  ownerId: string | undefined,
): Promise<string | undefined> {
  const query = knex('api_tokens').where({ id });
  if (ownerId) query.where({ user_id: ownerId });
  const [row] = await query.delete().returning('user_id');
  return row?.user_id;
}

interface Holder {
  userId: string;
  tokenId: string;
  expiresAt: number;
}

/**
 * Looks a token up by its hash: only an unexpired one is found, and its last use is written down (at
 * most once a minute, in the same statement).
 */
async function findToken(knex: Knex, token: string): Promise<Holder | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const { rows } = await knex.raw<{ rows: { id: string; user_id: string; expires_at: Date }[] }>(
    `with t as (select id, user_id, expires_at, last_used_at from api_tokens
                 where token_hash = ? and expires_at > now()),
          touched as (update api_tokens a set last_used_at = now() from t
                       where a.id = t.id and (t.last_used_at is null or t.last_used_at < now() - interval '1 minute'))
     select id, user_id, expires_at from t`,
    [digest(token)],
  );
  const row = rows[0];
  return row && { userId: row.user_id, tokenId: row.id, expiresAt: new Date(row.expires_at).getTime() };
}

/** How long a process may go on trusting a token it looked up: a revoked one fails within this. */
const TTL_MS = 1_000;
const MAX_ENTRIES = 10_000;

/**
 * Which user a bearer token acts as, kept for at most a second so a busy script does not cost a lookup
 * per request. A revocation evicts the token at once in every process (through the change bus); the
 * short life covers a process that missed the news, and the expiry is checked on every use.
 */
export class TokenCache {
  private readonly entries = new Map<string, { holder: Holder | undefined; until: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly bus: ChangeBus,
  ) {
    bus.subscribe((event) => {
      if (event.kind === 'resync') this.entries.clear();
      if (event.kind !== 'token') return;
      for (const [key, entry] of this.entries)
        if (entry.holder?.tokenId === event.id) this.entries.delete(key);
    });
  }

  async userIdFor(token: string): Promise<string | undefined> {
    const key = digest(token);
    const now = Date.now();
    const hit = this.entries.get(key);
    const entry =
      hit && hit.until > now ? hit : { holder: await findToken(this.knex, token), until: now + TTL_MS };
    if (entry !== hit) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, entry);
    }
    return entry.holder && entry.holder.expiresAt > Date.now() ? entry.holder.userId : undefined;
  }

  /** Tells every process that a token is gone. */
  revoked(tokenId: string): void {
    this.bus.publish({ kind: 'token', id: tokenId });
  }
}
