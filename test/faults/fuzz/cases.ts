import { describeOp, paramsIn, type Operation, type Parameter } from './openapi';
import type { Answer, Outgoing } from './send';
import {
  HOSTILE_STRINGS,
  NUL,
  fieldsOf,
  hostileFor,
  typeOf,
  validValue,
  withField,
  type Hostile,
} from './values';
import { CRAFTED_QUERY, HOSTILE_AUTH, HOSTILE_HEADERS, HOSTILE_SEGMENTS, enc } from './wire';
import type { Role, World } from './world';

/** How hard to push one role on one operation: roles its guard turns away only get the cheap cases. */
export type Depth = 'full' | 'light' | 'guarded';

export interface Case {
  role: Role;
  input: string;
  req: Outgoing;
  /** Every path parameter is a real id (so the request may change the shared petition). */
  real: boolean;
  /** A further contract check of this case's answer; returns what is wrong. */
  expect?: (answer: Answer) => string | undefined;
}

interface Parts {
  path: Record<string, string>;
  query: Record<string, string | string[]>;
  rawQuery?: string;
  headers: Record<string, string>;
  body?: Outgoing['body'];
}

const json = (value: unknown): Outgoing['body'] => ({
  contentType: 'application/json',
  data: JSON.stringify(value),
});

function toRequest(op: Operation, parts: Parts): Outgoing {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.path[name] ?? '');
  const query = Object.entries(parts.query).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) => `${enc(k)}=${enc(x)}`),
  );
  if (parts.rawQuery) query.push(parts.rawQuery);
  return {
    method: op.method.toUpperCase(),
    path: query.length ? `${path}?${query.join('&')}` : path,
    headers: parts.headers,
    body: parts.body,
  };
}

export class CaseBuilder {
  constructor(
    private readonly world: World,
    private readonly seed: number,
  ) {}

  realValues(op: Operation, p: Parameter): string[] {
    const real = this.world.real[`${op.path}|${p.name}`] ?? this.world.real[p.name];
    return real ? real.map(enc) : [enc(String(validValue(p.schema, () => undefined)))];
  }

  /** A valid request: real ids, required parameters, a fresh Idempotency-Key, a valid body. */
  base(op: Operation, role: Role): Parts {
    const hints = this.world.hints(describeOp(op));
    const path = Object.fromEntries(
      paramsIn(op, 'path').map((p) => [p.name, this.realValues(op, p)[0] as string]),
    );
    const query = Object.fromEntries(
      paramsIn(op, 'query')
        .filter((p) => p.required)
        .map((p) => [p.name, String(hints(p.name) ?? validValue(p.schema, hints))]),
    );
    const headers: Record<string, string> = { ...this.world.auth[role] };
    for (const p of paramsIn(op, 'header')) headers[p.name] = String(validValue(p.schema, hints));
    return { path, query, headers, body: op.body ? json(validValue(op.body, hints)) : undefined };
  }

  /** The valid request itself, with the first real id of each path parameter. */
  valid(op: Operation, role: Role): Case {
    return {
      role,
      input: 'a valid request with real ids',
      req: toRequest(op, this.base(op, role)),
      real: true,
    };
  }

  cases(op: Operation, role: Role, depth: Depth): Case[] {
    const out: Case[] = [];
    const add = (input: string, tweak: (p: Parts) => void, extra: Partial<Case> = {}) => {
      const parts = this.base(op, role);
      tweak(parts);
      out.push({ role, input, req: toRequest(op, parts), real: false, ...extra });
    };
    for (const p of paramsIn(op, 'path')) {
      for (const value of this.realValues(op, p))
        add(`path ${p.name} = real ${decodeURIComponent(value)}`, (x) => (x.path[p.name] = value), {
          real: true,
        });
    }
    this.pathCases(op, depth, add);
    this.bodyCases(op, depth, add);
    this.queryCases(op, depth, add);
    if (op.path === '/api/voter-files' && depth !== 'guarded') this.csvCases(add);
    for (const p of paramsIn(op, 'header')) {
      add(`header ${p.name} missing`, (x) => Reflect.deleteProperty(x.headers, p.name), { expect: refused });
      if (depth === 'guarded') continue;
      for (const v of HOSTILE_HEADERS)
        add(`header ${p.name} = ${JSON.stringify(v.slice(0, 40))}`, (x) => (x.headers[p.name] = v));
    }
    if (role === 'anonymous') {
      for (const v of HOSTILE_AUTH)
        add(`Authorization: ${JSON.stringify(v.slice(0, 30))}`, (x) => (x.headers.Authorization = v));
    }
    return out;
  }

  private pathCases(
    op: Operation,
    depth: Depth,
    add: (input: string, tweak: (p: Parts) => void) => void,
  ): void {
    paramsIn(op, 'path').forEach((p, i) => {
      if (depth === 'guarded' && i > 0) return;
      for (const s of HOSTILE_SEGMENTS) add(`path ${p.name} = ${s.label}`, (x) => (x.path[p.name] = s.raw));
    });
  }

  private bodyCases(
    op: Operation,
    depth: Depth,
    add: (input: string, tweak: (p: Parts) => void, extra?: Partial<Case>) => void,
  ): void {
    if (!op.body && !['post', 'put', 'patch'].includes(op.method)) return;
    const raw = (contentType: string, data: string | Buffer) => (x: Parts) =>
      (x.body = { contentType, data });
    const bodyText = (x: Parts) => String(x.body?.data ?? '{}');
    const sinks = { expect: refused };
    add('body not JSON', raw('application/json', '{"a":'), op.body ? sinks : {});
    add('body as text/plain', raw('text/plain', 'hello'), op.body ? sinks : {});
    add('body a JSON array', (x) => (x.body = json([JSON.parse(bodyText(x))])), op.body ? sinks : {});
    add('body JSON null', raw('application/json', 'null'));
    add('empty body', raw('application/json', ''));
    add(
      'body with invalid UTF-8 bytes',
      (x) =>
        (x.body = {
          contentType: 'application/json',
          data: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xae, 0xff]), Buffer.from('"}')]),
        }),
    );
    add(
      'body in latin1',
      (x) => (x.body = { contentType: 'application/json; charset=latin1', data: bodyText(x) }),
    );
    add('body nested 5,000 deep', raw('application/json', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`));
    add(
      'body with a __proto__ key',
      (x) =>
        (x.body = {
          contentType: 'application/json',
          data: bodyText(x).replace(/^\{/, '{"__proto__":{"isAdmin":true},'),
        }),
    );
    if (!op.body || depth === 'guarded') return;
    const schema = op.body;
    add(
      'body of 2 MB',
      (x) => (x.body = json({ ...JSON.parse(bodyText(x)), pad: 'x'.repeat(2 * 1024 * 1024) })),
    );
    add(
      'body with an unknown field',
      (x) => (x.body = json({ ...JSON.parse(bodyText(x)), zzUnknown: NUL })),
      schema.additionalProperties === false ? sinks : {},
    );
    const batch = op.path.endsWith('/batch');
    for (const field of fieldsOf(schema)) {
      const name = `body.${field.path.join('.')}`;
      const nullable = (field.schema.anyOf ?? field.schema.oneOf)?.some((v) => v.type === 'null') ?? false;
      const inItem = batch && field.path.length >= 2;
      if (field.required) {
        const expect = inItem ? goodItemStored : refused;
        add(
          `${name} missing`,
          (x) => (x.body = json(withField(JSON.parse(bodyText(x)), field.path, undefined))),
          { expect },
        );
      }
      for (const h of hostileFor(field.schema, this.seed + hashOf(name), depth === 'light')) {
        const wrongType =
          h.value !== null && !sameType(typeOf(field.schema), h.value) && !(nullable && h.value === null);
        const expect = inItem ? goodItemStored : wrongType ? refused : undefined;
        add(
          `${name} = ${h.label}`,
          (x) => (x.body = json(withField(JSON.parse(bodyText(x)), field.path, h.value))),
          { expect },
        );
      }
    }
  }

  /** The voter file is the one body sent as text/csv (the document describes no body for it). */
  private csvCases(add: (input: string, tweak: (p: Parts) => void) => void): void {
    const header =
      'voter_id,first_name,middle_name,last_name,house_number,street,unit,city,zip,county_fips,date_of_birth,status';
    const row = (first: string) => `X1,${first},,Lee,12,Main Street,,Oakland,94601,06001,1980-01-02,active`;
    const csv = (label: string, data: string | Buffer, map?: string) =>
      add(`text/csv voter file: ${label}`, (x) => {
        x.body = { contentType: 'text/csv', data };
        if (map !== undefined) x.query.map = map;
      });
    csv('a first name with NUL', `${header}\n${row(NUL)}\n`);
    csv(
      'a lone surrogate as UTF-8 bytes',
      Buffer.concat([
        Buffer.from(`${header}\nX1,`),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from(',,Lee,1,A St,,Oakland,94601,06001,,active\n'),
      ]),
    );
    csv(
      'invalid UTF-8 bytes',
      Buffer.concat([
        Buffer.from(`${header}\nX1,`),
        Buffer.from([0xc0, 0xae, 0xff]),
        Buffer.from(',,Lee,1,A St,,Oakland,94601,06001,,active\n'),
      ]),
    );
    csv('a header only', `${header}\n`);
    csv('not a voter file', 'a,b\n1,2\n');
    csv('an unbalanced quote', `${header}\n"X1,Ann\n`);
    csv('a column map with NUL', `${header}\n${row('Ann')}\n`, `A${NUL}B=voter_id`);
    csv('a column map of emoji', `${header}\n${row('Ann')}\n`, '🗳️=voter_id');
  }

  private queryCases(
    op: Operation,
    depth: Depth,
    add: (input: string, tweak: (p: Parts) => void) => void,
  ): void {
    const params = paramsIn(op, 'query');
    add('query with an unknown parameter', (x) => (x.query.zzUnknown = NUL));
    for (const p of params) {
      add(`query ${p.name} = NUL`, (x) => (x.query[p.name] = NUL));
      if (depth === 'guarded') continue;
      add(`query ${p.name} repeated`, (x) => (x.query[p.name] = ['1', '2']));
      add(`query ${p.name}[a]=1`, (x) => {
        Reflect.deleteProperty(x.query, p.name);
        x.rawQuery = `${enc(p.name)}%5Ba%5D=1`;
      });
      add(`query ${p.name} = raw %C0%AE`, (x) => {
        Reflect.deleteProperty(x.query, p.name);
        x.rawQuery = `${enc(p.name)}=%C0%AE%00%`;
      });
      if (depth === 'light') continue;
      const values: Hostile[] = [
        // Past 16 KB of request line Node's parser answers 431 itself, before the app sees it.
        ...HOSTILE_STRINGS.map((h) =>
          h.label === '100 KB string' ? { label: '10 KB string', value: 'x'.repeat(10_240) } : h,
        ),
        ...(CRAFTED_QUERY[p.name] ?? []).map((v) => ({ label: `crafted ${v}`, value: v })),
      ];
      for (const v of [
        ...values,
        ...['1e308', '-1', '0.00001', 'NaN', '1.5'].map((n) => ({ label: n, value: n })),
      ]) {
        add(`query ${p.name} = ${v.label}`, (x) => (x.query[p.name] = String(v.value)));
      }
    }
  }
}

/** A stable small number per field name, so each field gets its own random strings. */
function hashOf(name: string): number {
  return [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_003, 0);
}

function sameType(type: string | undefined, value: unknown): boolean {
  if (type === 'integer' || type === 'number') return typeof value === 'number';
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

const refused = (a: Answer) =>
  a.kind === 'answer' && a.status < 400 ? `bad input accepted with ${a.status}` : undefined;

/** A batch whose first item is bad still stores its second, good one (201). */
const goodItemStored = (a: Answer) => {
  if (a.kind !== 'answer' || [401, 403, 404, 409].includes(a.status)) return undefined;
  if (a.status !== 200) return `a batch with one bad item answered ${a.status}, not 200 per item`;
  const results = (JSON.parse(a.text) as { results?: { status: number }[] }).results ?? [];
  return results[1]?.status === 201
    ? undefined
    : `the good item of the batch answered ${results[1]?.status}, not 201`;
};
