import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { pendingMigrations } from '../db/migrate';
import { Api } from '../http/api';
import { ServiceUnavailableError } from '../http/errors';

export function healthRoutes(ctx: AppContext, state: { shuttingDown: boolean }): Api {
  const api = new Api(Router());
  api.route(
    {
      method: 'get',
      path: '/healthz',
      operationId: 'getHealth',
      summary: 'The process is up',
      tag: 'health',
      who: 'anyone',
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
    },
    (_req, res) => {
      res.json({ status: 'ok' });
    },
  );
  api.route(
    {
      method: 'get',
      path: '/readyz',
      operationId: 'getReadiness',
      summary: 'The database answers and migrations are current',
      tag: 'health',
      who: 'anyone',
      responses: { 200: { description: 'Ready', schema: z.object({ status: z.literal('ready') }) } },
      errors: [503],
    },
    async (_req, res) => {
      if (state.shuttingDown) throw new ServiceUnavailableError('Shutting down.');
      const pending = await pendingMigrations(ctx.knex).catch(() => -1);
      if (pending < 0) throw new ServiceUnavailableError('The database does not answer.');
      if (pending > 0) throw new ServiceUnavailableError(`${pending} database migrations are not applied.`);
      res.json({ status: 'ready' });
    },
  );
  return api;
}
