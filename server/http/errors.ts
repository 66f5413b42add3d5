export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemExtras {
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/** An error meant for the client, rendered as RFC 9457 problem details. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly type: string,
    readonly detail: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(detail);
  }
}

export function createError(status: number, title: string, slug: string) {
  return class extends HttpError {
    constructor(detail: string = title, extras?: ProblemExtras) {
      super(status, title, `/problems/${slug}`, detail, extras);
    }
  };
}

export const BadRequestError = createError(400, 'Bad Request', 'invalid-input');
export const UnauthorizedError = createError(401, 'Unauthorized', 'not-signed-in');
export const ForbiddenError = createError(403, 'Forbidden', 'forbidden');
export const NotFoundError = createError(404, 'Not Found', 'not-found');
export const ConflictError = createError(409, 'Conflict', 'conflict');
export const PayloadTooLargeError = createError(413, 'Payload Too Large', 'payload-too-large');
export const UnsupportedMediaTypeError = createError(415, 'Unsupported Media Type', 'unsupported-media-type');
export const IdempotencyKeyReusedError = createError(422, 'Unprocessable Content', 'idempotency-key-reused');
export const TooManyRequestsError = createError(429, 'Too Many Requests', 'rate-limited');
export const ServiceUnavailableError = createError(503, 'Service Unavailable', 'not-ready');

export function invalid(path: string, message: string): HttpError {
  return new BadRequestError(`${path}: ${message}`, { errors: [{ path, message }] });
}

/** How long a client should wait before retrying while the database is away or busy. */
export const RETRY_AFTER_S = 2;

export function unavailable(
  detail = 'The database cannot be reached right now. Try again shortly.',
): HttpError {
  return new ServiceUnavailableError(detail, { headers: { 'Retry-After': String(RETRY_AFTER_S) } });
}
