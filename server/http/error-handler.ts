import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, PG, sqlState } from '../db/errors';
import {
  BadRequestError,
  unavailable,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './errors';

export function sendProblem(res: Response, err: HttpError): void {
  for (const [name, value] of Object.entries(err.extras.headers ?? {})) res.setHeader(name, value);
  res
    .status(err.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: err.type,
        title: err.title,
        status: err.status,
        detail: err.detail,
        ...(err.extras.errors ? { errors: err.extras.errors } : {}),
      }),
    );
}

/** Errors raised by body-parser carry a `type`; they are the client's fault and say so. */
function fromBodyParser(err: { type?: string; status?: number; limit?: number }): HttpError | undefined {
  switch (err.type) {
    case 'entity.too.large': {
      const limit = (err as { limit?: number }).limit ?? 1024 * 1024;
      return new PayloadTooLargeError(
        `The request body is larger than ${Math.round(limit / 1024 / 1024)} MB.`,
      );
    }
    case 'entity.parse.failed':
      return new BadRequestError('The request body is not valid JSON.', {
        errors: [{ path: 'body', message: 'malformed JSON' }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('The request body must be UTF-8 JSON.');
    case 'request.aborted':
      return new BadRequestError('The request was aborted.');
    default:
      return undefined;
  }
}

/**
 * Errors that are not ours but still have a meaning for the client: the database is away (503, try
 * again), a path that does not decode (400), text the database cannot store (400).
 */
function fromEnvironment(err: unknown): HttpError | undefined {
  if (isDatabaseUnavailable(err)) return unavailable();
  if (err instanceof URIError) {
    return new BadRequestError('The request path is not valid UTF-8.', {
      errors: [{ path: 'path', message: 'does not decode' }],
    });
  }
  const code = sqlState(err);
  if (code === PG.untranslatableCharacter || code === PG.invalidByteSequence) {
    return new BadRequestError('The request holds characters that cannot be stored (such as NUL).');
  }
  return undefined;
}

export const notFound: RequestHandler = (req) => {
  throw new NotFoundError(`Nothing at ${req.method} ${req.path}.`);
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // The client hung up (mid-body, say): there is no one to answer, and nothing went wrong here.
    if (req.socket.destroyed) {
      log.debug({ err: (err as Error).message, method: req.method, path: req.path }, 'client went away');
      return;
    }
    const clientError = err instanceof HttpError ? err : fromBodyParser(err);
    const environment = clientError ? undefined : fromEnvironment(err);
    if (environment) log.warn({ err, method: req.method, path: req.path }, environment.detail);
    const known = clientError ?? environment;
    if (known && !res.headersSent) {
      sendProblem(res, known);
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(
      res,
      new HttpError(500, 'Internal Server Error', '/problems/internal', 'Something went wrong.'),
    );
  };
}
