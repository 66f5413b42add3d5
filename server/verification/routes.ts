import { once } from 'node:events';
import { Router } from 'express';
import { z } from 'zod';
import { requireAdmin, userOf } from '../auth/guards';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { PRIVATE, sendWithEtag } from '../http/cache';
import { NotFoundError, UnsupportedMediaTypeError, invalid } from '../http/errors';
import { isoTime, petitionRef } from '../http/schemas';
import { petitionOf, requirePetitionAccess } from '../petitions/access';
import { circulatorStats } from './circulators';
import { beginRun, runVerification } from './matching';
import { purgePersonalData } from './purge';
import { reviewQueue } from './review';
import { sampleCsv, sampleTable } from './sample-csv';
import { workbook, XLSX_TYPE } from '../tallies/workbook';
import { drawSample, sampleDocument } from './samples';
import {
  circulatorSchema,
  importParams,
  importSchema,
  reviewQuery,
  runParams,
  runSchema,
  sampleBody,
  sampleParams,
  sampleQuery,
  sampleSchema,
  voterFileQuery,
} from './schemas';
import { beginImport, runImport } from './voter-import';
import { parseColumnMap } from './voter-row';

const iso = (v: Date | string | null) => (v ? isoTime(v) : null);

export function verificationRoutes(ctx: AppContext): Api {
  const api = new Api(Router());
  const access = (min: Parameters<typeof requirePetitionAccess>[1]) =>
    requirePetitionAccess(ctx.petitions, min);

  api.route(
    {
      method: 'post',
      path: '/api/voter-files',
      operationId: 'importVoterFile',
      summary: "Stream a state's voter file in (text/csv); it replaces that state's voters in one step",
      tag: 'verification',
      who: 'admin',
      query: voterFileQuery,
      responses: { 202: { description: 'Accepted', schema: z.object({ importId: z.uuid() }) } },
      errors: [400, 401, 403, 415],
    },
    requireAdmin,
    async (req, res) => {
      if (!req.is('text/csv')) throw new UnsupportedMediaTypeError('Send the voter file as text/csv.');
      const { state, map } = req.query as unknown as z.infer<typeof voterFileQuery>;
      const columnMap = parseColumnMap(map);
      if (!columnMap) throw invalid('query.map', 'use "Their Header=voter_column" pairs separated by commas');
      const importId = await beginImport(ctx.knex, state, userOf(req).id).catch(() => {
        throw invalid('query.state', `${state} is not a state`);
      });
      const job = ctx.jobs.run('voter import', (signal) => {
        signal.addEventListener('abort', () => req.destroy());
        return runImport(ctx.db, importId, { state, input: req, columnMap, actorId: userOf(req).id });
      });
      // Answer once the upload is read (indexing and the swap go on), or at once if the file is refused.
      await Promise.race([once(req, 'end').catch(() => undefined), job.catch(() => undefined)]);
      res.status(202).location(`/api/voter-files/${importId}`).json({ importId });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/voter-files/:importId',
      operationId: 'getVoterImport',
      summary: 'How a voter-file import is going',
      tag: 'verification',
      who: 'admin',
      params: importParams,
      responses: { 200: { description: 'The import', schema: importSchema } },
      errors: [401, 403, 404],
    },
    requireAdmin,
    async (req, res) => {
      const row = await ctx
        .knex('voter_imports')
        .where({ id: (req.params as { importId: string }).importId })
        .first();
      if (!row) throw new NotFoundError('No such import.');
      res.json({
        id: row.id,
        state: row.state,
        status: row.status,
        rowsRead: row.rows_read,
        rowsLoaded: row.rows_loaded,
        rowsRejected: row.rows_rejected,
        rejects: row.rejects,
        error: row.error,
        startedAt: iso(row.started_at),
        finishedAt: iso(row.finished_at),
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/verification-runs',
      operationId: 'startVerificationRun',
      summary: 'Match every pending signer against the voter file',
      tag: 'verification',
      who: 'organizer',
      params: petitionRef,
      responses: { 202: { description: 'Started', schema: z.object({ runId: z.uuid() }) } },
      errors: [401, 403, 404, 409],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const actorId = userOf(req).id;
      const runId = await beginRun(ctx.knex, petition, actorId);
      const publish = () => ctx.bus.publish({ kind: 'tallies', id: petition.id });
      void ctx.jobs
        .run('verification run', (signal) =>
          runVerification(ctx.knex, petition, runId, actorId, { signal, onChunk: publish }),
        )
        .catch(() => undefined)
        .finally(publish);
      res.status(202).location(`/api/petitions/${petition.id}/verification-runs/${runId}`).json({ runId });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/verification-runs/:runId',
      operationId: 'getVerificationRun',
      summary: 'How a verification run is going, with its counts',
      tag: 'verification',
      who: 'organizer',
      params: runParams,
      responses: { 200: { description: 'The run', schema: runSchema } },
      errors: [401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { runId } = req.params as z.infer<typeof runParams>;
      const row = await ctx
        .knex('verification_runs')
        .where({ id: runId, petition_id: petitionOf(res).petition.id })
        .first();
      if (!row) throw new NotFoundError('No such verification run of this petition.');
      res.json({
        id: row.id,
        status: row.status,
        checked: row.checked,
        valid: row.valid,
        notRegistered: row.not_registered,
        wrongCounty: row.wrong_county,
        needsReview: row.needs_review,
        startedAt: iso(row.started_at),
        finishedAt: iso(row.finished_at),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/review',
      operationId: 'getReviewQueue',
      summary: 'Pending signers that need a person, with their candidate voter records (audited)',
      tag: 'verification',
      who: 'organizer',
      params: petitionRef,
      query: reviewQuery,
      responses: {
        200: {
          description: 'The queue',
          schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
        },
      },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { limit } = req.query as unknown as z.infer<typeof reviewQuery>;
      res.json(await reviewQueue(ctx.knex, petitionOf(res).petition, userOf(req).id, limit));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/samples',
      operationId: 'drawSample',
      summary: 'Draw the random sample of each county, reproducible from the seed',
      tag: 'verification',
      who: 'organizer',
      params: petitionRef,
      body: sampleBody,
      responses: { 201: { description: 'The sample and its projection', schema: sampleSchema } },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { seed } = req.body as z.infer<typeof sampleBody>;
      const sampleId = await drawSample(ctx.knex, petition, userOf(req).id, seed);
      res
        .status(201)
        .location(`/api/petitions/${petition.id}/samples/${sampleId}`)
        .json(await sampleDocument(ctx.knex, petition, sampleId));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/samples',
      operationId: 'listSamples',
      summary: 'The samples drawn for a petition, newest first',
      tag: 'verification',
      who: 'viewer and up',
      params: petitionRef,
      responses: {
        200: {
          description: 'Samples',
          schema: z.object({
            items: z.array(z.object({ id: z.uuid(), seed: z.string(), createdAt: z.string() })),
          }),
        },
      },
      errors: [401, 403, 404],
    },
    access('viewer'),
    async (_req, res) => {
      const rows = await ctx
        .knex('samples')
        .where({ petition_id: petitionOf(res).petition.id })
        .orderBy('created_at', 'desc')
        .select('id', 'seed', 'created_at');
      res.json({ items: rows.map((r) => ({ id: r.id, seed: r.seed, createdAt: iso(r.created_at) })) });
    },
  );

  // The report's formats first: the plain route would take "<id>.csv" for an id.
  const sampleRoute = (suffix: '' | '.csv' | '.xlsx', operationId: string, summary: string, type?: string) =>
    api.route(
      {
        method: 'get',
        path: `/api/petitions/:id/samples/:sampleId${suffix}`,
        operationId,
        summary,
        tag: 'verification',
        who: 'viewer and up',
        params: sampleParams,
        query: sampleQuery,
        responses: {
          200: type
            ? { description: 'The county-by-county report', schema: z.string(), contentType: type }
            : { description: 'The projection', schema: sampleSchema },
        },
        errors: [400, 401, 403, 404],
      },
      access('viewer'),
      async (req, res) => {
        const { petition } = petitionOf(res);
        const { sampleId } = req.params as z.infer<typeof sampleParams>;
        const doc = await sampleDocument(await ctx.reads.caughtUp(), petition, sampleId);
        const name = `${petition.slug}-sample-${doc.createdAt.slice(0, 10)}`;
        if (suffix === '.xlsx') {
          const book = await workbook(sampleTable(doc), 'Sample', new Date(doc.createdAt));
          res.type(XLSX_TYPE).set('Cache-Control', PRIVATE).attachment(`${name}.xlsx`).send(book);
        } else if (suffix === '.csv') {
          res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
          const csv = sampleCsv(doc, { bom: (req.query as { bom?: string }).bom === '1' });
          sendWithEtag(req, res, csv, { cacheControl: PRIVATE });
        } else {
          res.type('application/json');
          sendWithEtag(req, res, JSON.stringify(doc), { cacheControl: PRIVATE });
        }
      },
    );
  sampleRoute(
    '.csv',
    'getSampleCsv',
    'The county-by-county report of a sample as CSV, then TOTAL',
    'text/csv',
  );
  sampleRoute(
    '.xlsx',
    'getSampleWorkbook',
    'The county-by-county report of a sample as a workbook',
    XLSX_TYPE,
  );
  sampleRoute('', 'getSample', 'A sample and its projection');

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/circulators',
      operationId: 'listCirculators',
      summary: 'Per volunteer: collected, checked, validity and duplicate rates, flags',
      tag: 'verification',
      who: 'organizer',
      params: petitionRef,
      responses: {
        200: {
          description: 'Per circulator',
          schema: z.object({
            petition: z.object({ validityRate: z.number().nullable(), duplicateRate: z.number() }),
            items: z.array(circulatorSchema),
          }),
        },
      },
      errors: [401, 403, 404],
    },
    access('organizer'),
    async (_req, res) => {
      res.json(await circulatorStats(ctx.knex, petitionOf(res).petition.id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/purge',
      operationId: 'purgePetition',
      summary:
        "Erase signers' personal data of a qualified or failed petition, keeping every count (audited)",
      tag: 'verification',
      who: 'admin',
      params: petitionRef,
      responses: { 200: { description: 'Erased', schema: z.object({ erased: z.number().int() }) } },
      errors: [401, 403, 404, 409],
    },
    access('admin'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const result = await purgePersonalData(ctx.knex, petition, userOf(req).id);
      ctx.bus.publish({ kind: 'petition', id: petition.id });
      res.json(result);
    },
  );

  return api;
}
