import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { Api } from '../http/api';
import { openApiDocument } from './document';

/** Where the caller reached this server: the document's `servers`. */
const origin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * GET /api/openapi.json: every route's spec, this one's included, built once on first request, with
 * the server the caller reached.
 */
export function openApiRoutes(paths: () => ZodOpenApiPathsObject[]): Api {
  const api = new Api(Router());
  let document: object | undefined;
  api.route(
    {
      method: 'get',
      path: '/api/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This API, described as OpenAPI 3.1 from the schemas that validate its requests',
      tag: 'documentation',
      who: 'anyone',
      responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
    },
    (req, res) => {
      document ??= openApiDocument(Object.assign({}, ...paths()));
      res.json({ ...document, servers: [{ url: origin(req), description: 'This server' }] });
    },
  );
  return api;
}
