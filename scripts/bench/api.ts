/** The few setup calls the benchmark makes through the public API (see API.md). */

export interface County {
  fips: string;
  name: string;
}

export interface BenchPetition {
  id: string;
  counties: County[];
}

async function call<T>(
  url: string,
  init: RequestInit,
  expected: number,
): Promise<{ body: T; res: Response }> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  const text = await res.text();
  if (res.status !== expected) {
    throw new Error(`${init.method ?? 'GET'} ${url}: expected ${expected}, got ${res.status}: ${text}`);
  }
  return { body: JSON.parse(text) as T, res };
}

/** Signs in as the admin with the session cookie, then trades it for a bearer token. */
export async function adminToken(
  base: string,
  admin: { email: string; password: string },
): Promise<{ token: string; userId: string }> {
  const login = await call<{ user: { id: string } }>(
    `${base}/api/auth/login`,
    { method: 'POST', body: JSON.stringify(admin) },
    200,
  );
  const sid = login.res.headers.getSetCookie().find((c) => c.startsWith('sid='));
  if (!sid) throw new Error('login set no sid cookie');
  const { body } = await call<{ token: string }>(
    `${base}/api/auth/tokens`,
    {
      method: 'POST',
      headers: { cookie: sid.split(';')[0] as string },
      body: JSON.stringify({ name: 'benchmark' }),
    },
    201,
  );
  return { token: body.token, userId: login.body.user.id };
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/** A public, circulating California constitutional amendment that began `startedDaysAgo` days ago. */
export async function createPetition(
  base: string,
  token: string,
  startedDaysAgo: number,
): Promise<BenchPetition> {
  const now = Date.now();
  const { body } = await call<BenchPetition>(
    `${base}/api/petitions`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title: `Benchmark amendment ${new Date(now).toISOString()}`,
        state: 'CA',
        measureType: 'constitutional_amendment',
        signaturesRequired: 585407,
        circulationStart: isoDay(now - startedDaysAgo * DAY_MS),
        deadline: isoDay(now + 120 * DAY_MS),
        public: true,
        status: 'circulating',
      }),
    },
    201,
  );
  return body;
}

export interface ProgressTotals {
  raw: number;
  pending: number;
  valid: number;
  invalid: number;
  duplicate: number;
}

export async function progressTotals(base: string, petitionId: string): Promise<ProgressTotals> {
  const { body } = await call<{ totals: ProgressTotals }>(
    `${base}/api/petitions/${petitionId}/progress`,
    { method: 'GET' },
    200,
  );
  return body.totals;
}
