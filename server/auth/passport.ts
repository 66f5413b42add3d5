import type { Knex } from 'knex';
import { Passport, type PassportStatic } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { Strategy as LocalStrategy } from 'passport-local';
import { findCredentials, type Identity } from '../users/repo';
import type { IdentityCache } from './identities';
import { verifyPassword } from './passwords';
import type { TokenCache } from './tokens';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Identity {}
  }
}

export function createPassport(knex: Knex, identities: IdentityCache, tokens: TokenCache): PassportStatic {
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

  passport.use(
    new BearerStrategy((token, done) => {
      tokens
        .userIdFor(token)
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
