import type { Request, RequestHandler, Response } from 'express';
import { atLeast, type Access } from '../auth/roles';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../http/errors';
import { petitionRef } from '../http/schemas';
import type { PetitionCache } from './cache';
import type { Petition } from './repo';

export function accessTo(petition: Petition, user: Express.User | undefined): Access {
  if (user?.isAdmin) return 'admin';
  const membership = user?.memberships.find((m) => m.petitionId === petition.id);
  if (membership) return membership.role;
  return petition.public ? 'public' : 'none';
}

interface PetitionLocals {
  petition: Petition;
  access: Access;
}

export function petitionOf(res: Response): PetitionLocals {
  return res.locals as PetitionLocals;
}

/**
 * Loads the petition named by :id and checks the caller's role on it. A petition the caller may not see
 * at all is reported as unknown (404), so that its existence is not revealed.
 */
export function requirePetitionAccess(petitions: PetitionCache, min: Access): RequestHandler {
  return async (req: Request<{ id?: string }>, res, next) => {
    if (!req.user && !atLeast('public', min)) throw new UnauthorizedError('Sign in to do this.');
    const ref = petitionRef.safeParse(req.params);
    const petition = ref.success ? await petitions.find(ref.data.id) : undefined;
    const access = petition ? accessTo(petition, req.user) : 'none';
    if (!petition || access === 'none') throw new NotFoundError('No such petition.');
    if (!atLeast(access, min)) {
      throw req.user
        ? new ForbiddenError('Your role on this petition does not allow this.')
        : new UnauthorizedError();
    }
    Object.assign(res.locals, { petition, access });
    next();
  };
}
