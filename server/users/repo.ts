import type { Knex } from 'knex';
import type { PetitionRole } from '../auth/roles';
import { hashPassword } from '../auth/passwords';
import { ConflictError } from '../http/errors';

export interface Identity {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  memberships: { petitionId: string; role: PetitionRole }[];
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  isAdmin?: boolean;
}

export async function findCredentials(
  knex: Knex,
  email: string,
): Promise<{ id: string; passwordHash: string } | undefined> {
  const row = await knex('users')
    .whereRaw('lower(email) = lower(?)', [email])
    .first('id', 'password_hash as passwordHash');
  return row;
}

export async function loadIdentity(knex: Knex, id: string): Promise<Identity | undefined> {
  const user = await knex('users').where({ id }).first('id', 'email', 'name', 'is_admin as isAdmin');
  if (!user) return undefined;
  const memberships = await knex('memberships')
    .where({ user_id: id })
    .orderBy('created_at')
    .select('petition_id as petitionId', 'role');
  return { ...user, memberships };
}

const UNIQUE_VIOLATION = '23505';

export async function createUser(knex: Knex, input: NewUser): Promise<Identity> {
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await knex('users')
      .insert({
        email: input.email,
        name: input.name,
        password_hash: passwordHash,
        is_admin: input.isAdmin ?? false,
      })
      .returning(['id', 'email', 'name', 'is_admin as isAdmin']);
    return { ...row, memberships: [] };
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new ConflictError('A user with this email already exists.', {
        errors: [{ path: 'email', message: 'already registered' }],
      });
    }
    throw err;
  }
}

/** Makes sure a user with this email exists; the password is set only when it is created. */
export async function ensureUser(knex: Knex, input: NewUser): Promise<{ created: boolean; id: string }> {
  const existing = await findCredentials(knex, input.email);
  if (existing) return { created: false, id: existing.id };
  const user = await createUser(knex, input);
  return { created: true, id: user.id };
}
