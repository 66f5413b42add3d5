import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { userOf } from '../auth/guards';
import { atLeast } from '../auth/roles';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { NotFoundError } from '../http/errors';
import { petitionRef } from '../http/schemas';
import { petitionOf, requirePetitionAccess } from '../petitions/access';
import { fileSections, filingManifest, findFiling, listFilings } from './filings';
import { findSection, listSections } from './repo';
import { assertScanBody, putScan, readScan, scanType } from './scans';
import {
  filingBody,
  filingParams,
  filingSchema,
  issueBody,
  SCAN_MAX_BYTES,
  SCAN_TYPES,
  sectionListQuery,
  sectionParams,
  sectionPatchBody,
  sectionSchema,
  type SectionChange,
} from './schemas';
import { changeSection, issueSections } from './service';

/** Whom the caller may see sections of: everyone's (organizer and up) or only their own. */
function viewerOf(res: Response, userId: string): string | undefined {
  return atLeast(petitionOf(res).access, 'organizer') ? undefined : userId;
}

export function sectionRoutes(ctx: AppContext): Api {
  const api = new Api(Router());
  const access = (min: Parameters<typeof requirePetitionAccess>[1]) =>
    requirePetitionAccess(ctx.petitions, min);
  const changed = (petitionId: string) => ctx.bus.publish({ kind: 'tallies', id: petitionId });
  const page = z.object({ items: z.array(sectionSchema), nextCursor: z.string().nullable() });

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/sections',
      operationId: 'issueSections',
      summary: 'Issue new paper sections of a county, numbered after the highest so far',
      tag: 'sections',
      who: 'organizer',
      params: petitionRef,
      body: issueBody,
      responses: {
        201: { description: 'The sections issued', schema: z.object({ items: z.array(sectionSchema) }) },
      },
      errors: [400, 401, 403, 404, 409],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const items = await issueSections(
        ctx.knex,
        petition,
        userOf(req).id,
        req.body as z.infer<typeof issueBody>,
      );
      changed(petition.id);
      res.status(201).json({ items });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/sections',
      operationId: 'listSections',
      summary: 'A page of sections in order of number (a volunteer sees their own)',
      tag: 'sections',
      who: 'organizer (volunteer: own)',
      params: petitionRef,
      query: sectionListQuery,
      responses: { 200: { description: 'A page', schema: page } },
      errors: [400, 401, 403, 404],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const query = req.query as unknown as z.infer<typeof sectionListQuery>;
      const own = viewerOf(res, userOf(req).id);
      res.json(
        await listSections(ctx.knex, petition.id, { ...query, ...(own ? { circulatorId: own } : {}) }),
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/sections/:number',
      operationId: 'getSection',
      summary: 'One section',
      tag: 'sections',
      who: 'organizer, its circulator',
      params: sectionParams,
      responses: { 200: { description: 'The section', schema: sectionSchema } },
      errors: [400, 401, 403, 404],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { number } = req.params as unknown as z.infer<typeof sectionParams>;
      const section = await findSection(ctx.knex, petition.id, number, viewerOf(res, userOf(req).id));
      if (!section) throw new NotFoundError('No such section.');
      res.json(section);
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/api/petitions/:id/sections/:number',
      operationId: 'updateSection',
      summary: 'Move a section (returned, counted, lost, void), reassign it or correct its count (audited)',
      tag: 'sections',
      who: 'organizer; its circulator only {status: "returned"}',
      params: sectionParams,
      body: sectionPatchBody,
      responses: { 200: { description: 'The section', schema: sectionSchema } },
      errors: [400, 401, 403, 404, 409],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { number } = req.params as unknown as z.infer<typeof sectionParams>;
      const actor = { id: userOf(req).id, circulatorOnly: viewerOf(res, userOf(req).id) !== undefined };
      const section = await changeSection(ctx.knex, petition, number, actor, req.body as SectionChange);
      changed(petition.id);
      res.json(section);
    },
  );

  const scanBody = express.raw({ type: () => true, limit: SCAN_MAX_BYTES });
  api.route(
    {
      method: 'put',
      path: '/api/petitions/:id/sections/:number/scan',
      operationId: 'putSectionScan',
      summary: 'Keep a scan of the sheet (JPEG, PNG or PDF, at most 10 MB)',
      tag: 'sections',
      who: 'organizer, its circulator',
      params: sectionParams,
      responses: { 204: { description: 'Kept' } },
      errors: [400, 401, 403, 404, 413, 415],
    },
    access('volunteer'),
    (req, _res, next) => {
      // The type is checked before a byte of the body is read; the body is kept only once it is all here.
      scanType(req.get('content-type'));
      next();
    },
    scanBody,
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { number } = req.params as unknown as z.infer<typeof sectionParams>;
      if (!(await findSection(ctx.knex, petition.id, number, viewerOf(res, userOf(req).id))))
        throw new NotFoundError('No such section.');
      const type = scanType(req.get('content-type'));
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      assertScanBody(type, body);
      await putScan(ctx.knex, petition.id, number, type, body, userOf(req).id);
      res.status(204).end();
    },
  );
  (api.paths['/api/petitions/{id}/sections/{number}/scan']?.put as { requestBody?: unknown }).requestBody = {
    content: Object.fromEntries(SCAN_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  };

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/sections/:number/scan',
      operationId: 'getSectionScan',
      summary: "The sheet's scan, with its type (every read is audited)",
      tag: 'sections',
      who: 'organizer, its circulator',
      params: sectionParams,
      responses: {
        200: { description: 'The scan', schema: z.string(), contentType: 'application/octet-stream' },
      },
      errors: [400, 401, 403, 404],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { number } = req.params as unknown as z.infer<typeof sectionParams>;
      if (!(await findSection(ctx.knex, petition.id, number, viewerOf(res, userOf(req).id))))
        throw new NotFoundError('No such section.');
      const scan = await readScan(ctx.knex, petition.id, number, userOf(req).id);
      res
        .type(scan.contentType)
        .set('Cache-Control', 'private, no-store')
        .set('ETag', `"${scan.sha256}"`)
        .send(scan.bytes);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/filings',
      operationId: 'createFiling',
      summary: 'File counted sections of one county, all at once or none',
      tag: 'sections',
      who: 'organizer',
      params: petitionRef,
      body: filingBody,
      responses: { 201: { description: 'The filing', schema: filingSchema } },
      errors: [400, 401, 403, 404, 409],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const filing = await fileSections(
        ctx.knex,
        petition,
        userOf(req).id,
        req.body as z.infer<typeof filingBody>,
      );
      changed(petition.id);
      res.status(201).location(`/api/petitions/${petition.id}/filings/${filing.id}.csv`).json(filing);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/filings',
      operationId: 'listFilings',
      summary: "The petition's filings, newest first",
      tag: 'sections',
      who: 'organizer',
      params: petitionRef,
      responses: { 200: { description: 'Filings', schema: z.object({ items: z.array(filingSchema) }) } },
      errors: [401, 403, 404],
    },
    access('organizer'),
    async (_req, res) => {
      res.json({ items: await listFilings(ctx.knex, petitionOf(res).petition.id) });
    },
  );

  // The manifest first: the plain route would take "<id>.csv" for an id.
  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/filings/:filingId.csv',
      operationId: 'getFilingManifest',
      summary: 'The manifest to hand in with a filing: one row per section, then TOTAL',
      tag: 'sections',
      who: 'organizer',
      params: filingParams,
      responses: { 200: { description: 'The manifest', schema: z.string(), contentType: 'text/csv' } },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { filingId } = req.params as z.infer<typeof filingParams>;
      const filing = await findFiling(ctx.knex, petition.id, filingId);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`${petition.slug}-filing-${filing.countyFips}-${filing.createdAt.slice(0, 10)}.csv`)
        .send(await filingManifest(ctx.knex, petition, filing));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/filings/:filingId',
      operationId: 'getFiling',
      summary: 'A filing',
      tag: 'sections',
      who: 'organizer',
      params: filingParams,
      responses: { 200: { description: 'The filing', schema: filingSchema } },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { filingId } = req.params as z.infer<typeof filingParams>;
      res.json(await findFiling(ctx.knex, petitionOf(res).petition.id, filingId));
    },
  );

  return api;
}
