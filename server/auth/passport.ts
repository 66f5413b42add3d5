import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { Passport, type PassportStatic } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { Strategy as LocalStrategy } from 'passport-local';
import { findCredentials, type Identity } from '../users/repo';
import type { IdentityCache } from './identities';
import { verifyPassword } from './passwords';
import { userIdForToken } from './tokens';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Identity {}
  }
}

const TOKEN_TTL_MS = 30_000;

export function createPassport(knex: Knex, identities: IdentityCache): PassportStatic {
  const passport = new Passport() as PassportStatic;

  passport.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', session: true },
      (email, password, done) => {
        findCredentials(knex, email)
          .then(async (found) => {
            const ok = await verifyPassword(found?.passwordHash, password);
            if (!ok || !found) return done(null, false);
            done(null, (await identities.get(found.id)) ?? false);
          })
          .catch(done);
      },
    ),
  );

  const tokens = new Map<string, { userId: string | undefined; expires: number }>();
  passport.use(
    new BearerStrategy((token, done) => {
      const key = createHash('sha256').update(token).digest('hex');
      const hit = tokens.get(key);
      const lookup =
        hit && hit.expires > Date.now()
          ? Promise.resolve(hit.userId)
          : userIdForToken(knex, token).then((userId) => {
              if (tokens.size > 10_000) tokens.clear();
              tokens.set(key, { userId, expires: Date.now() + TOKEN_TTL_MS });
              return userId;
            });
      lookup
        .then(async (userId) => done(null, (userId && (await identities.get(userId))) || false))
        .catch(done);
    }),
  );

  passport.serializeUser<string>((user, done) => done(null, user.id));
  passport.deserializeUser<string>((id, done) => {
    identities
      .get(id)
      .then((identity) => done(null, identity ?? false))
      .catch(done);
  });
  return passport;
}
