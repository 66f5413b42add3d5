import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { PRIVATE, PUBLIC_SHORT, sendWithEtag } from '../http/cache';
import { unavailable } from '../http/errors';
import { petitionRef } from '../http/schemas';
import { petitionOf, requirePetitionAccess } from '../petitions/access';
import { talliesCsv, tallyTable } from './csv';
import { workbook, XLSX_TYPE } from './workbook';
import { progressSchema } from './schemas';

export function tallyRoutes(ctx: AppContext): Api {
  const api = new Api(Router());
  const viewer = requirePetitionAccess(ctx.petitions, 'viewer');
  // 'public' access exists only on public petitions; on others the caller must be a member.
  const publicOrViewer = requirePetitionAccess(ctx.petitions, 'public');

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/progress',
      operationId: 'getProgress',
      summary: 'Progress against the requirement, statewide and per county (no personal data)',
      tag: 'progress',
      who: 'viewer and up; anyone if public',
      params: petitionRef,
      responses: { 200: { description: 'The progress document', schema: progressSchema } },
      errors: [401, 403, 404],
    },
    publicOrViewer,
    async (req, res) => {
      const { petition } = petitionOf(res);
      const snapshot = await ctx.progress.snapshot(petition.id);
      // A public petition's progress is the same for everyone: a CDN may absorb a surge of readers.
      res.type('application/json');
      sendWithEtag(req, res, snapshot.json, {
        etag: snapshot.etag,
        cacheControl: petition.public ? PUBLIC_SHORT : PRIVATE,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/progress/stream',
      operationId: 'streamProgress',
      summary: 'Server-Sent Events: a `progress` event with the document whenever counts change',
      tag: 'progress',
      who: 'viewer and up; anyone if public',
      params: petitionRef,
      responses: {
        200: { description: 'An event stream', schema: z.string(), contentType: 'text/event-stream' },
      },
      errors: [401, 403, 404],
    },
    publicOrViewer,
    async (req, res) => {
      const petitionId = petitionOf(res).petition.id;
      // Listened for before the first await: a reader who leaves during it leaves nothing behind.
      let end: () => void = () => undefined;
      let gone = false;
      res.on('close', () => {
        gone = true;
        end();
      });
      const first = await ctx.progress.snapshot(petitionId);
      if (gone) return;
      // A server that is stopping sends its streams away at once; they reconnect to another one.
      if (ctx.progress.isClosed) throw unavailable('The server is shutting down. Try again shortly.');
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      // A client that reconnects holding the current document is not sent it again.
      let sent = req.get('last-event-id');
      if (sent !== first.eventId) res.write(first.frame);
      sent = first.eventId;
      end = ctx.progress.subscribe(petitionId, {
        send: (snapshot) => {
          if (snapshot.eventId === sent) return;
          sent = snapshot.eventId;
          res.write(snapshot.frame);
        },
        beat: () => res.write(': keep-alive\n\n'),
        end: () => res.end(),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/tallies.csv',
      operationId: 'getTalliesCsv',
      summary: 'County tallies as CSV, then a TOTAL row',
      tag: 'progress',
      who: 'viewer and up',
      params: petitionRef,
      query: z.object({ bom: z.enum(['0', '1']).optional() }),
      responses: { 200: { description: 'CSV', schema: z.string(), contentType: 'text/csv' } },
      errors: [400, 401, 403, 404],
    },
    viewer,
    async (req, res) => {
      const { petition } = petitionOf(res);
      const doc = await ctx.progress.document(petition.id);
      const day = doc.asOf.slice(0, 10);
      res.type('text/csv; charset=utf-8').attachment(`${petition.slug}-county-tallies-${day}.csv`);
      const csv = talliesCsv(doc, { bom: (req.query as { bom?: string }).bom === '1' });
      sendWithEtag(req, res, csv, { cacheControl: PRIVATE });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/tallies.xlsx',
      operationId: 'getTalliesWorkbook',
      summary: 'County tallies as a workbook: the CSV’s columns and rows, FIPS codes as text',
      tag: 'progress',
      who: 'viewer and up',
      params: petitionRef,
      responses: { 200: { description: 'The workbook', schema: z.string(), contentType: XLSX_TYPE } },
      errors: [401, 403, 404],
    },
    viewer,
    async (_req, res) => {
      const { petition } = petitionOf(res);
      const doc = await ctx.progress.document(petition.id);
      const book = await workbook(tallyTable(doc), 'County tallies', new Date(doc.asOf));
      res
        .type(XLSX_TYPE)
        .set('Cache-Control', PRIVATE)
        .attachment(`${petition.slug}-county-tallies-${doc.asOf.slice(0, 10)}.xlsx`)
        .send(book);
    },
  );

  return api;
}
