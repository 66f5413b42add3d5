import { api, ApiError } from './api';
import type { Me, PetitionRole, User } from './types';

/** The one question to the server about the session, shared by every part of the page that asks. */
let asked: Promise<User | null> | null = null;

async function askServer(): Promise<User | null> {
  try {
    return (await api<Me>('GET', '/api/auth/me')).user;
  } catch (err) {
    // 401 is the ordinary answer before sign-in, not a failure.
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The signed-in user, or null when nobody is: asked once per page, and again only after a failure. */
export function currentUser(): Promise<User | null> {
  if (!asked) {
    const answer = askServer();
    asked = answer;
    answer.catch(() => {
      if (asked === answer) asked = null;
    });
  }
  return asked;
}

export async function signIn(email: string, password: string): Promise<User> {
  await api('POST', '/api/auth/login', { body: { email, password } });
  asked = null;
  const user = await currentUser();
  if (!user) throw new ApiError(401, 'Not signed in', 'The session did not start. Are cookies allowed?');
  return user;
}

export async function signOut(): Promise<void> {
  try {
    await api('POST', '/api/auth/logout');
  } finally {
    asked = Promise.resolve(null);
  }
}

const RANK: Record<PetitionRole, number> = { viewer: 1, volunteer: 2, organizer: 3 };

/** Whether the user holds at least `role` on the petition (admins hold every role). */
export function hasRole(user: User | null, petitionId: string, role: PetitionRole): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const held = user.memberships.find((m) => m.petitionId === petitionId)?.role;
  return held !== undefined && RANK[held] >= RANK[role];
}
