import type { RequestHandler, Router } from 'express';
import type { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { problemSchema } from './schemas';
import { validate } from './validate';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  method: Method;
  path: string;
  /** Stable, camelCase: clients generated from the document name their calls by it. */
  operationId: string;
  summary: string;
  tag: string;
  /** Who may call it, in the words of the contract ("organizer", "anyone if public"). */
  who: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The name field errors in the body are reported under (e.g. "signer" → "signer.zip"). */
  bodyName?: string;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad input; `errors` names each bad field',
  401: 'Not signed in',
  403: 'Signed in but not allowed',
  404: 'Unknown, or not visible to the caller',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Idempotency-Key reused with a different body',
  429: 'Rate limited; see Retry-After',
  431: 'URL and headers larger than 16 KB',
  503: 'Not ready, or the database is away for a moment; see Retry-After',
};

/** Any request may be refused before its route sees it: a URL and headers over 16 KB. */
const ALWAYS = [431];

/** Mounts routes on a router and records each as an OpenAPI operation built from the same schemas. */
export class Api {
  readonly paths: ZodOpenApiPathsObject = {};

  constructor(readonly router: Router) {}

  route(spec: RouteSpec, ...handlers: RequestHandler[]): void {
    const handler = handlers.pop();
    if (!handler) throw new Error(`route ${spec.path} has no handler`);
    const schemas = { params: spec.params, query: spec.query, body: spec.body };
    this.router[spec.method](spec.path, ...handlers, validate(schemas, spec.bodyName), handler);
    this.document(spec);
  }

  private document(spec: RouteSpec): void {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { [r.contentType ?? 'application/json']: { schema: r.schema } },
          }
        : { description: r.description };
    }
    for (const status of [...new Set([...(spec.errors ?? []), ...ALWAYS])].sort()) {
      responses[String(status)] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: { 'application/problem+json': { schema: problemSchema } },
      };
    }
    const operation: ZodOpenApiOperationObject = {
      operationId: spec.operationId,
      summary: spec.summary,
      description: `Who: ${spec.who}.`,
      tags: [spec.tag],
      requestParams: Object.fromEntries(
        Object.entries({ path: spec.params, query: spec.query, header: spec.headers }).filter(([, v]) => v),
      ),
      responses: responses as ZodOpenApiOperationObject['responses'],
    };
    if (spec.body) operation.requestBody = { content: { 'application/json': { schema: spec.body } } };
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    this.paths[path] = { ...this.paths[path], [spec.method]: operation };
  }
}
