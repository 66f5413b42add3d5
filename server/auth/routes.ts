import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { recordAudit } from '../audit/record';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { UnauthorizedError } from '../http/errors';
import type { PassportStatic } from 'passport';
import { requireUser } from './guards';
import { loginBody, tokenBody, userSchema } from './schemas';
import { issueToken } from './tokens';

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
      await ctx.throttle.check(email, ip);
      const user = await authenticateLocal(passport, req, res);
      if (!user) {
        await ctx.throttle.failed(email, ip);
        throw new UnauthorizedError('Wrong email or password.');
      }
      await ctx.throttle.succeeded(email);
      await logIn(req, user);
      await recordAudit(ctx.knex, { actorId: user.id, action: 'auth.login', detail: { ip } });
      res.json({ user });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Sign out; the session is destroyed',
      tag: 'auth',
      who,
      responses: { 204: { description: 'Signed out' } },
      errors: [401],
    },
    requireUser,
    async (req, res) => {
      await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
      await new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
      res.clearCookie('sid').status(204).end();
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/auth/me',
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
      summary: 'Create a bearer token acting as the caller (shown once)',
      tag: 'auth',
      who,
      body: tokenBody,
      responses: { 201: { description: 'The token', schema: z.object({ token: z.string(), id: z.uuid() }) } },
      errors: [400, 401],
    },
    requireUser,
    async (req, res) => {
      const user = req.user as Express.User;
      const { name } = req.body as z.infer<typeof tokenBody>;
      const { id, token } = await issueToken(ctx.knex, user.id, name);
      await recordAudit(ctx.knex, {
        actorId: user.id,
        action: 'auth.token_created',
        subjectId: id,
        detail: { name },
      });
      res.status(201).json({ id, token });
    },
  );

  return api;
}
