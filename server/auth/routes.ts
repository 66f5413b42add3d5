import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { recordAudit } from '../audit/record';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../http/errors';
import type { PassportStatic } from 'passport';
import { requireUser, userOf } from './guards';
import { loginBody, tokenBody, tokenListQuery, tokenParams, tokenSchema, userSchema } from './schemas';
import { deleteToken, issueToken, listTokens } from './tokens';

function authenticateLocal(
  passport: PassportStatic,
  req: Request,
  res: Response,
): Promise<Express.User | false> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', { session: false }, (err: unknown, user: Express.User | false) =>
      err ? reject(err) : resolve(user),
    )(req, res, () => undefined);
  });
}

async function logIn(req: Request, user: Express.User): Promise<void> {
  // passport regenerates the session id on login (no session fixation).
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  // Saved before answering, so that a sign-in the database did not keep is not reported as done.
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function authRoutes(ctx: AppContext, passport: PassportStatic): Api {
  const api = new Api(Router());
  const who = 'signed in';

  api.route(
    {
      method: 'post',
      path: '/api/auth/login',
      operationId: 'signIn',
      summary: 'Sign in with email and password; sets the session cookie',
      tag: 'auth',
      who: 'anyone',
      body: loginBody,
      responses: { 200: { description: 'Signed in', schema: z.object({ user: userSchema }) } },
      errors: [400, 401, 429],
    },
    async (req, res) => {
      const { email } = req.body as z.infer<typeof loginBody>;
      const ip = req.ip ?? 'unknown';
      await ctx.throttle.attempt(email, ip);
      const user = await authenticateLocal(passport, req, res);
      if (!user) throw new UnauthorizedError('Wrong email or password.');
      await ctx.throttle.succeeded(email, ip);
      await logIn(req, user);
      await recordAudit(ctx.knex, { actorId: user.id, action: 'auth.login', detail: { ip } });
      res.json({ user });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/auth/logout',
      operationId: 'signOut',
      summary: 'Sign out; the session is destroyed',
      tag: 'auth',
      who,
      responses: { 204: { description: 'Signed out' } },
      errors: [400, 401],
    },
    requireUser,
    async (req, res) => {
      if (!req.session) {
        throw new BadRequestError(
          'Signed in with a bearer token, there is no session to end: revoke the token with DELETE /api/auth/tokens/{id}.',
        );
      }
      await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
      await new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
      res.clearCookie('sid').status(204).end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/auth/me',
      operationId: 'getMe',
      summary: 'The signed-in user with their memberships',
      tag: 'auth',
      who,
      responses: { 200: { description: 'The caller', schema: z.object({ user: userSchema }) } },
      errors: [401],
    },
    requireUser,
    (req, res) => {
      res.json({ user: req.user });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/auth/tokens',
      operationId: 'createToken',
      summary: 'Create a bearer token acting as the caller (the secret is shown once)',
      tag: 'auth',
      who,
      body: tokenBody,
      responses: {
        201: {
          description: 'The token',
          schema: tokenSchema.pick({ id: true, name: true, expiresAt: true }).extend({ token: z.string() }),
        },
      },
      errors: [400, 401],
    },
    requireUser,
    async (req, res) => {
      const user = userOf(req);
      const { name, expiresInDays } = req.body as z.infer<typeof tokenBody>;
      const { id, token, expiresAt } = await ctx.knex.transaction(async (trx) => {
        const issued = await issueToken(trx, user.id, name, expiresInDays);
        await recordAudit(trx, {
          actorId: user.id,
          action: 'auth.token_created',
          subjectId: issued.id,
          detail: { name, expiresAt: issued.expiresAt },
        });
        return issued;
      });
      res.status(201).json({ id, name, token, expiresAt });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/auth/tokens',
      operationId: 'listTokens',
      summary: "The caller's bearer tokens (never their secrets)",
      tag: 'auth',
      who: "signed in (an admin: any user's, with userId)",
      query: tokenListQuery,
      responses: { 200: { description: 'Tokens', schema: z.object({ items: z.array(tokenSchema) }) } },
      errors: [400, 401, 403],
    },
    requireUser,
    async (req, res) => {
      const user = userOf(req);
      const { userId } = req.query as z.infer<typeof tokenListQuery>;
      if (userId && userId !== user.id && !user.isAdmin)
        throw new ForbiddenError("Only an admin can list another user's tokens.");
      res.json({ items: await listTokens(ctx.knex, userId ?? user.id) });
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/auth/tokens/:id',
      operationId: 'revokeToken',
      summary: 'Revoke a bearer token; it stops working at once in every process',
      tag: 'auth',
      who: "signed in: one's own tokens; an admin: anyone's",
      params: tokenParams,
      responses: { 204: { description: 'Revoked' } },
      errors: [400, 401, 404],
    },
    requireUser,
    async (req, res) => {
      const user = userOf(req);
      const { id } = req.params as z.infer<typeof tokenParams>;
      const ownerId = await ctx.knex.transaction(async (trx) => {
        const owner = await deleteToken(trx, id, user.isAdmin ? undefined : user.id);
        if (owner) {
          await recordAudit(trx, {
            actorId: user.id,
            action: 'auth.token_revoked',
            subjectId: id,
            detail: { ownerId: owner },
          });
        }
        return owner;
      });
      if (!ownerId) throw new NotFoundError('No such token.');
      ctx.tokens.revoked(id);
      res.status(204).end();
    },
  );

  return api;
}
