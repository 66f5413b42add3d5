import { Router, type Request } from 'express';
import { z } from 'zod';
import { userOf } from '../auth/guards';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { BadRequestError, ConflictError, IdempotencyKeyReusedError, invalid } from '../http/errors';
import { petitionRef, uuid } from '../http/schemas';
import { issuesToFieldErrors } from '../http/validate';
import { petitionOf, requirePetitionAccess } from '../petitions/access';
import { recordSigners, type Outcome, type SignerItem } from './intake';
import {
  batchBody,
  batchBodyDoc,
  batchItem,
  batchResult,
  idempotencyHeader,
  listQuery,
  signatureParams,
  signatureReceipt,
  signatureRecord,
  signerBody,
  statusBody,
  type SignerInput,
} from './schemas';
import { changeStatus, listSignatures } from './service';

function idempotencyKey(req: Request): string {
  const key = req.get('idempotency-key');
  if (!key) throw invalid('Idempotency-Key', 'header is required (a UUID per signer)');
  if (!uuid.safeParse(key).success) throw invalid('Idempotency-Key', 'must be a UUID');
  return key;
}

const REFUSALS = { 400: BadRequestError, 409: ConflictError, 422: IdempotencyKeyReusedError } as const;

export function signatureRoutes(ctx: AppContext): Api {
  const api = new Api(Router());
  const access = (min: Parameters<typeof requirePetitionAccess>[1]) =>
    requirePetitionAccess(ctx.petitions, min);
  const tallied = (petitionId: string, outcomes: Outcome[]) => {
    if (outcomes.some((o) => o.status === 201)) ctx.bus.publish({ kind: 'tallies', id: petitionId });
  };

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/signatures',
      operationId: 'recordSigner',
      summary: 'Record one signer (idempotent by Idempotency-Key)',
      tag: 'signatures',
      who: 'volunteer and up',
      params: petitionRef,
      headers: idempotencyHeader,
      body: signerBody,
      bodyName: 'signer',
      responses: {
        201: { description: 'Stored', schema: signatureReceipt },
        200: { description: 'Already stored under this key', schema: signatureReceipt },
      },
      errors: [400, 401, 403, 404, 409, 413, 415, 422],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const key = idempotencyKey(req);
      const item = { key, input: req.body as SignerInput, at: 'signer', keyAt: 'Idempotency-Key' };
      const [outcome] = await recordSigners(ctx.knex, petition, userOf(req).id, [item]);
      if (!outcome) throw new Error('no outcome for a signer');
      tallied(petition.id, [outcome]);
      if ('signature' in outcome) {
        res.status(outcome.status).json(outcome.signature);
        return;
      }
      const Refusal = REFUSALS[outcome.status];
      // A closed petition is the request's state, not a field of it; other refusals name their field.
      const aboutFields = outcome.errors.some((e) => e.path !== item.at);
      throw new Refusal(outcome.detail, aboutFields ? { errors: outcome.errors } : {});
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/signatures/batch',
      operationId: 'recordSignerBatch',
      summary: 'Record up to 1,000 signers, each with its own idempotencyKey; results per item',
      tag: 'signatures',
      who: 'volunteer and up',
      params: petitionRef,
      body: batchBody,
      responses: { 200: { description: 'One result per item, in order', schema: batchResult } },
      errors: [400, 401, 403, 404, 409, 413, 415],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { signatures } = req.body as z.infer<typeof batchBody>;
      const results: z.infer<typeof batchResult>['results'] = [];
      const good: { index: number; item: SignerItem }[] = [];
      signatures.forEach((raw, index) => {
        const parsed = batchItem.safeParse(raw);
        const rawKey = (raw as { idempotencyKey?: unknown } | null)?.idempotencyKey;
        const at = `signatures.${index}`;
        if (parsed.success) {
          const { idempotencyKey: key, ...input } = parsed.data;
          good.push({ index, item: { key, input, at, keyAt: `${at}.idempotencyKey` } });
        }
        results.push({
          idempotencyKey: typeof rawKey === 'string' ? rawKey : null,
          status: parsed.success ? 0 : 400,
          ...(parsed.success ? {} : { errors: issuesToFieldErrors(parsed.error.issues, at) }),
        });
      });
      const outcomes = await recordSigners(
        ctx.knex,
        petition,
        userOf(req).id,
        good.map((g) => g.item),
      );
      tallied(petition.id, outcomes);
      // Nothing stored before and nothing to store now: the petition itself refuses the batch. (A line
      // taken or a void section is an item's own refusal, answered in its result.)
      const petitionRefuses = (o: Outcome, i: number) =>
        o.status === 409 && o.errors.every((e) => e.path === good[i]?.item.at);
      if (outcomes.length && outcomes.every(petitionRefuses)) {
        throw new ConflictError((outcomes[0] as { detail: string }).detail);
      }
      outcomes.forEach((outcome, i) => {
        const result = results[(good[i] as { index: number }).index] as (typeof results)[number];
        result.status = outcome.status;
        if ('signature' in outcome) result.signature = outcome.signature;
        else result.errors = outcome.errors;
      });
      res.json({ results });
    },
  );
  (api.paths['/api/petitions/{id}/signatures/batch']?.post as { requestBody?: unknown }).requestBody = {
    content: { 'application/json': { schema: batchBodyDoc } },
  };

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/signatures',
      operationId: 'listSignatures',
      summary: 'A page of signers, newest first (volunteers see their own)',
      tag: 'signatures',
      who: 'organizer (volunteer: own)',
      params: petitionRef,
      query: listQuery,
      responses: {
        200: {
          description: 'A page',
          schema: z.object({ items: z.array(signatureRecord), nextCursor: z.string().nullable() }),
        },
      },
      errors: [400, 401, 403, 404],
    },
    access('volunteer'),
    async (req, res) => {
      const { petition, access: role } = petitionOf(res);
      const query = req.query as unknown as z.infer<typeof listQuery>;
      // A volunteer sees their own signers; anyone may ask for only theirs (?circulator=me).
      const viewer = { id: userOf(req).id, ownOnly: role === 'volunteer' || query.circulator === 'me' };
      res.json(await listSignatures(ctx.knex, petition.id, viewer, query));
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/api/petitions/:id/signatures/:signatureId',
      operationId: 'updateSignatureStatus',
      summary: "Change a signer's verification status (audited)",
      tag: 'signatures',
      who: 'organizer',
      params: signatureParams,
      body: statusBody,
      responses: { 200: { description: 'The signer', schema: signatureRecord } },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      const { signatureId } = req.params as z.infer<typeof signatureParams>;
      const change = req.body as z.infer<typeof statusBody>;
      const record = await changeStatus(ctx.knex, petition.id, signatureId, userOf(req).id, change);
      ctx.bus.publish({ kind: 'tallies', id: petition.id });
      res.json(record);
    },
  );

  return api;
}
