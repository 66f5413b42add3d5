import type { ProgressTotals } from '../../../scripts/bench/api';
import { request } from 'node:http';
import { ADMIN } from './server';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface Call {
  method?: string;
  body?: unknown;
  /** A body sent as it is (give its Content-Type in `headers`). */
  raw?: string;
  headers?: Record<string, string>;
  token?: string;
  cookie?: string;
  timeoutMs?: number;
}

/** One HTTP request with a timeout, so that nothing can hang the suite. Network errors throw. */
export async function call(baseUrl: string, path: string, opts: Call = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.Cookie = opts.cookie;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await fetch(`${baseUrl}${path}`, {
    method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

async function expectStatus(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
  const a = await answer;
  if (a.status !== status) throw new Error(`${what}: expected ${status}, got ${a.status}: ${a.text}`);
  return a;
}

/** Signs in; returns the session cookie (`sid=…`). */
export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const a = await expectStatus(
    call(baseUrl, '/api/auth/login', { body: { email, password } }),
    200,
    `sign-in as ${email}`,
  );
  const cookie = a.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith('sid='));
  if (!cookie) throw new Error('sign-in set no sid cookie');
  return cookie;
}

export async function createToken(baseUrl: string, cookie: string, name: string): Promise<string> {
  const a = await expectStatus(
    call(baseUrl, '/api/auth/tokens', { cookie, body: { name } }),
    201,
    'token creation',
  );
  return (a.json as { token: string }).token;
}

export interface Petition {
  id: string;
  slug: string;
}

export interface Campaign {
  petition: Petition;
  adminToken: string;
  /** The volunteer's bearer token and session cookie: clients use one or the other, like scripts and browsers. */
  volunteerToken: string;
  volunteerCookie: string;
}

/**
 * Through the API, as an operator would: the admin signs in, creates a circulating California petition
 * (public, so that its progress stream needs no sign-in) and a volunteer who records the signers.
 */
export async function setUpCampaign(baseUrl: string): Promise<Campaign> {
  const adminCookie = await login(baseUrl, ADMIN.email, ADMIN.password);
  const adminToken = await createToken(baseUrl, adminCookie, 'fault injection');
  const created = await expectStatus(
    call(baseUrl, '/api/petitions', {
      token: adminToken,
      body: {
        title: 'Fault injection initiative',
        state: 'CA',
        measureType: 'initiative_statute',
        signaturesRequired: 1000,
        circulationStart: '2026-01-01',
        deadline: '2027-12-01',
        status: 'circulating',
        public: true,
      },
    }),
    201,
    'petition creation',
  );
  const petition = created.json as Petition;
  const volunteer = { email: 'volunteer@faults.test', password: 'fault-injection-volunteer-password' };
  const user = await expectStatus(
    call(baseUrl, '/api/users', {
      token: adminToken,
      body: { email: volunteer.email, name: 'Field Volunteer', password: volunteer.password },
    }),
    201,
    'volunteer creation',
  );
  const volunteerId = (user.json as { user: { id: string } }).user.id;
  await expectStatus(
    call(baseUrl, `/api/petitions/${petition.id}/members/${volunteerId}`, {
      method: 'PUT',
      token: adminToken,
      body: { role: 'volunteer' },
    }),
    200,
    'volunteer membership',
  );
  const volunteerCookie = await login(baseUrl, volunteer.email, volunteer.password);
  const volunteerToken = await createToken(baseUrl, volunteerCookie, 'field tablet');
  return { petition, adminToken, volunteerToken, volunteerCookie };
}

export interface Progress {
  totals: ProgressTotals;
  counties: (ProgressTotals & { fips: string })[];
}

export async function readProgress(baseUrl: string, petitionId: string, token: string): Promise<Progress> {
  const a = await expectStatus(
    call(baseUrl, `/api/petitions/${petitionId}/progress`, { token }),
    200,
    'progress',
  );
  return a.json as Progress;
}

export interface HeldRequest {
  /** Sends the rest of the body and resolves with the answer (or rejects on a network error). */
  finish(): Promise<{ status: number; body: string }>;
}

/**
 * A request that is provably in flight: its headers carry `Expect: 100-continue` and the promise resolves
 * only once the server has answered `100 Continue`, i.e. has parsed the headers and handed the request to
 * the app, which now waits for the body. Its own connection, closed after the answer.
 */
export async function holdRequest(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = 30_000,
): Promise<HeldRequest> {
  const url = new URL(path, baseUrl);
  const req = request(url, {
    method: 'POST',
    agent: false,
    headers: {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      Expect: '100-continue',
      Connection: 'close',
    },
  });
  req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
  });
  // Surfaced by finish(); never an unhandled rejection while the request is held.
  answer.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    req.once('continue', () => resolve());
    answer.then(
      (a) => reject(new Error(`answered ${a.status} before 100 Continue: ${a.body}`)),
      (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
    );
    req.flushHeaders();
  });
  return {
    finish: () => {
      req.end(body);
      return answer;
    },
  };
}
