import { Router } from 'express';
import { z } from 'zod';
import { recordAudit } from '../audit/record';
import { requireAdmin } from '../auth/guards';
import { createUserBody, userSchema } from '../auth/schemas';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { createUser } from './repo';

export function userRoutes(ctx: AppContext): Api {
  const api = new Api(Router());
  api.route(
    {
      method: 'post',
      path: '/api/users',
      operationId: 'createUser',
      summary: 'Create a user account',
      tag: 'users',
      who: 'admin',
      body: createUserBody,
      responses: { 201: { description: 'Created', schema: z.object({ user: userSchema }) } },
      errors: [400, 401, 403, 409],
    },
    requireAdmin,
    async (req, res) => {
      const user = await createUser(ctx.knex, req.body as z.infer<typeof createUserBody>);
      await recordAudit(ctx.knex, { actorId: req.user?.id, action: 'user.created', subjectId: user.id });
      res.status(201).json({ user });
    },
  );
  return api;
}
