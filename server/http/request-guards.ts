import type { RequestHandler } from 'express';
import { ForbiddenError, UnsupportedMediaTypeError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests sent by another site's page (CSRF). Browsers always send Origin on
 * such requests and Sec-Fetch-Site where supported; scripts send neither and pass.
 */
export const refuseCrossSite: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  if (req.get('sec-fetch-site') === 'cross-site')
    throw new ForbiddenError('Cross-site requests are refused.');
  const origin = req.get('origin');
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new ForbiddenError('Cross-site requests are refused.');
    }
    if (host !== req.get('host')) throw new ForbiddenError('Cross-site requests are refused.');
  }
  next();
};

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** A request with a body must send it as JSON, unless the route says otherwise. */
export function requireJsonBody(except: (path: string) => boolean = () => false): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !hasBody(req) || except(req.path)) return next();
    if (!req.is('application/json')) {
      throw new UnsupportedMediaTypeError('Send the request body as application/json.');
    }
    next();
  };
}
