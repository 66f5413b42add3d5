import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import {
  BadRequestError,
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
function fromBodyParser(err: { type?: string; status?: number }): HttpError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError('The request body is larger than 1 MB.');
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

export const notFound: RequestHandler = (req) => {
  throw new NotFoundError(`Nothing at ${req.method} ${req.path}.`);
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof HttpError ? err : fromBodyParser(err);
    if (known) {
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
