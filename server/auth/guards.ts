import type { Request, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../http/errors';

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) throw new UnauthorizedError('Sign in to do this.');
  next();
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.user) throw new UnauthorizedError('Sign in to do this.');
  if (!req.user.isAdmin) throw new ForbiddenError('Only an admin can do this.');
  next();
};

/** The signed-in caller, for handlers behind a guard that already required one. */
export function userOf(req: Request): Express.User {
  if (!req.user) throw new UnauthorizedError('Sign in to do this.');
  return req.user;
}
