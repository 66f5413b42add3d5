import { Router } from 'express';
import { z } from 'zod';
import { requireAdmin, userOf } from '../auth/guards';
import type { AppContext } from '../context';
import { Api } from '../http/api';
import { petitionRef } from '../http/schemas';
import { petitionOf, requirePetitionAccess } from './access';
import {
  createPetitionBody,
  memberBody,
  memberParams,
  memberByEmailBody,
  membershipSchema,
  petitionSchema,
  updatePetitionBody,
  type CreatePetitionInput,
  type UpdatePetitionInput,
} from './schemas';
import {
  createPetition,
  listMembers,
  removeMember,
  setMember,
  updatePetition,
  visiblePetitions,
} from './service';

export function petitionRoutes(ctx: AppContext): Api {
  const api = new Api(Router());
  const access = (min: Parameters<typeof requirePetitionAccess>[1]) =>
    requirePetitionAccess(ctx.petitions, min);

  api.route(
    {
      method: 'get',
      path: '/api/petitions',
      operationId: 'listPetitions',
      summary: 'Public petitions, plus those the caller belongs to',
      tag: 'petitions',
      who: 'anyone',
      responses: { 200: { description: 'Petitions', schema: z.object({ items: z.array(petitionSchema) }) } },
    },
    async (req, res) => {
      res.json({ items: await visiblePetitions(ctx, req.user) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions',
      operationId: 'createPetition',
      summary: 'Create a petition; counties default to every county of its state',
      tag: 'petitions',
      who: 'admin',
      body: createPetitionBody,
      responses: { 201: { description: 'Created', schema: petitionSchema } },
      errors: [400, 401, 403, 409],
    },
    requireAdmin,
    async (req, res) => {
      const petition = await createPetition(ctx, userOf(req).id, req.body as CreatePetitionInput);
      res.status(201).location(`/api/petitions/${petition.id}`).json(petition);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id',
      operationId: 'getPetition',
      summary: 'One petition, by id or slug',
      tag: 'petitions',
      who: 'members; anyone if public',
      params: petitionRef,
      responses: { 200: { description: 'The petition', schema: petitionSchema } },
      errors: [404],
    },
    access('public'),
    (_req, res) => {
      res.json(petitionOf(res).petition);
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/api/petitions/:id',
      operationId: 'updatePetition',
      summary: 'Change a petition',
      tag: 'petitions',
      who: 'admin, organizer',
      params: petitionRef,
      body: updatePetitionBody,
      responses: { 200: { description: 'The changed petition', schema: petitionSchema } },
      errors: [400, 401, 403, 404, 409],
    },
    access('organizer'),
    async (req, res) => {
      const { petition } = petitionOf(res);
      res.json(await updatePetition(ctx, userOf(req).id, petition, req.body as UpdatePetitionInput));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/petitions/:id/members',
      operationId: 'listMembers',
      summary: 'Members of a petition and their roles',
      tag: 'members',
      who: 'admin, organizer',
      params: petitionRef,
      responses: { 200: { description: 'Members', schema: z.object({ items: z.array(membershipSchema) }) } },
      errors: [401, 403, 404],
    },
    access('organizer'),
    async (_req, res) => {
      res.json({ items: await listMembers(ctx, petitionOf(res).petition.id) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/petitions/:id/members',
      operationId: 'addMemberByEmail',
      summary: 'Give the user with this email address a role on the petition',
      tag: 'members',
      who: 'admin, organizer',
      params: petitionRef,
      body: memberByEmailBody,
      responses: { 200: { description: 'The membership', schema: membershipSchema } },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { email, role } = req.body as z.infer<typeof memberByEmailBody>;
      res.json(await setMember(ctx, userOf(req).id, petitionOf(res).petition.id, { email }, role));
    },
  );

  api.route(
    {
      method: 'put',
      path: '/api/petitions/:id/members/:userId',
      operationId: 'setMember',
      summary: 'Give a user a role on the petition',
      tag: 'members',
      who: 'admin, organizer',
      params: memberParams,
      body: memberBody,
      responses: { 200: { description: 'The membership', schema: membershipSchema } },
      errors: [400, 401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { userId } = req.params as z.infer<typeof memberParams>;
      const { role } = req.body as z.infer<typeof memberBody>;
      res.json(await setMember(ctx, userOf(req).id, petitionOf(res).petition.id, { userId }, role));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/petitions/:id/members/:userId',
      operationId: 'removeMember',
      summary: 'Remove a user from the petition',
      tag: 'members',
      who: 'admin, organizer',
      params: memberParams,
      responses: { 204: { description: 'Removed' } },
      errors: [401, 403, 404],
    },
    access('organizer'),
    async (req, res) => {
      const { userId } = req.params as z.infer<typeof memberParams>;
      await removeMember(ctx, userOf(req).id, petitionOf(res).petition.id, userId);
      res.status(204).end();
    },
  );

  return api;
}
