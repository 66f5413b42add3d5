/** A field the server (or the form) found wrong, as in the problem+json `errors` list. */
export interface FieldError {
  path: string;
  message: string;
}

/** An answer other than 2xx, carrying the problem+json details the server sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
  }
}

/** The request never got an answer: offline, DNS, connection reset. */
export class NetworkError extends Error {}

interface Options {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function problemOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as Partial<{
    title: string;
    detail: string;
    errors: FieldError[];
  }>;
  return new ApiError(res.status, body.title ?? res.statusText, body.detail ?? '', body.errors ?? []);
}

/** Calls the API on this origin with the session cookie; JSON in and out, problem+json as ApiError. */
export async function api<T>(method: string, path: string, options: Options = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      signal: options.signal,
      headers: {
        Accept: 'application/json',
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError('No connection to the server.');
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A message for a person, whatever went wrong. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.detail || err.title;
  if (err instanceof NetworkError) return 'No connection to the server. Check the network and try again.';
  return 'Something went wrong. Try again.';
}

/** The server's field errors by the field's own name ("sections.0" stays whole), for placing on a form. */
export function errorsByField(err: unknown, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  for (const e of err.errors) {
    const field = fields.find((f) => e.path === f || e.path.endsWith(`.${f}`));
    if (field && !out[field]) out[field] = e.message;
  }
  return out;
}
