import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { JsonSchema } from './openapi';

/** A value to send and how to name it in a report (long values are described, not quoted). */
export interface Hostile {
  label: string;
  value: unknown;
}

const named = (value: unknown): Hostile => {
  const json = JSON.stringify(value) ?? String(value);
  return { label: json.length > 60 ? `${json.slice(0, 24)}… (${json.length} chars)` : json, value };
};

export const NUL = 'A\u0000B';

/** Strings that have broken text handling somewhere: control bytes, bad UTF-16, bidi, size. */
export const HOSTILE_STRINGS: Hostile[] = [
  named(NUL),
  named('\ud800'),
  named('x\udc00y'),
  named('\u202eevil\u202c'),
  named('🗳️👍🏽'),
  named('e\u0301\u0301\u0301'),
  named(''),
  named(' \t\n '),
  named("' OR '1'='1"),
  named('%00%C0%AE'),
  named('a\r\nb'),
  named('=1+1'),
  { label: '100 KB string', value: 'x'.repeat(100 * 1024) },
];

export const HOSTILE_NUMBERS: Hostile[] = [
  1e308,
  -1e308,
  -1,
  0,
  0.00001,
  1.5,
  2 ** 53 + 2,
  'NaN',
  'Infinity',
  '1',
].map(named);

const WRONG_TYPES: Hostile[] = [12345, true, null, [], ['a'], {}, { a: 1 }].map(named);

/** A few random strings from fast-check (fixed seed, so a run can be repeated), any code point. */
export function randomStrings(seed: number, count = 2): Hostile[] {
  return fc
    .sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), { seed, numRuns: count })
    .map(named);
}

export function typeOf(schema: JsonSchema): string | undefined {
  if (schema.enum || schema.const !== undefined) return 'string';
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const first = variants.find((v) => v.type !== 'null');
    return first ? typeOf(first) : 'null';
  }
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
}

/** Hostile values for a field of this schema: wrong types, and the edge values of its own type. */
export function hostileFor(schema: JsonSchema, seed: number, light = false): Hostile[] {
  const type = typeOf(schema);
  const wrong = WRONG_TYPES.filter((h) => {
    if (type === 'string') return typeof h.value !== 'string';
    if (type === 'number' || type === 'integer') return typeof h.value !== 'number';
    if (type === 'boolean') return typeof h.value !== 'boolean';
    if (type === 'array') return !Array.isArray(h.value);
    if (type === 'object') return h.value === null || typeof h.value !== 'object' || Array.isArray(h.value);
    return true;
  });
  let own: Hostile[] = [];
  if (type === 'string') own = [...HOSTILE_STRINGS, ...randomStrings(seed), named('PENDING')];
  else if (type === 'number' || type === 'integer') own = [...HOSTILE_NUMBERS, named(NUL)];
  else if (type === 'array') own = [named([null]), named([[[]]]), named(NUL), named(1e308)];
  else own = [named(NUL), named(1e308)];
  if (light)
    return [named(NUL), wrong[0] ?? named(null), { label: '100 KB string', value: 'x'.repeat(100 * 1024) }];
  return [...own, ...wrong];
}

/** Field names whose values must satisfy more than the JSON schema says (refinements, real rows). */
export type Hints = (field: string) => unknown;

const sampled = new Map<string, string[]>();

/** A string matching the schema's pattern (fast-check draws it), within its length bounds. */
function matching(schema: JsonSchema): string {
  const pattern = schema.pattern as string;
  let pool = sampled.get(pattern);
  if (!pool) {
    pool = fc.sample(fc.stringMatching(new RegExp(pattern)), { seed: 7, numRuns: 50 });
    sampled.set(pattern, pool);
  }
  const fits = pool.find(
    (s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity),
  );
  return fits ?? pool[0] ?? '';
}

function validString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return `fuzz-${randomUUID().slice(0, 8)}@example.org`;
    case 'date':
      return '2026-10-01';
    case 'date-time':
      return new Date(Date.now() - 60_000).toISOString();
  }
  if (schema.pattern) return matching(schema);
  const min = Math.max(schema.minLength ?? 0, 4);
  return 'fuzz'.padEnd(min, 'z').slice(0, schema.maxLength ?? min);
}

function validNumber(schema: JsonSchema, integer: boolean): number {
  const low =
    schema.minimum ??
    (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : 1);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : low);
  const pick = Math.min(Math.max(1, low), high);
  return integer ? Math.ceil(pick) : pick;
}

/** A valid value of the schema: required properties only, or every property with `full`. */
export function validValue(
  schema: JsonSchema,
  hints: Hints,
  opts: { full?: boolean; field?: string } = {},
): unknown {
  if (opts.field !== undefined) {
    const hinted = hints(opts.field);
    if (hinted !== undefined) return hinted;
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const first = variants.find((v) => v.type !== 'null') ?? variants[0];
    return first ? validValue(first, hints, opts) : null;
  }
  switch (typeOf(schema)) {
    case 'object': {
      const keys = Object.keys(schema.properties ?? {}).filter(
        (k) => opts.full || schema.required?.includes(k),
      );
      return Object.fromEntries(
        keys.map((k) => [
          k,
          validValue((schema.properties ?? {})[k] as JsonSchema, hints, { full: opts.full, field: k }),
        ]),
      );
    }
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () =>
        validValue(schema.items ?? {}, hints, { full: opts.full }),
      );
    case 'string':
      return validString(schema);
    case 'integer':
      return validNumber(schema, true);
    case 'number':
      return validNumber(schema, false);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** Every field of a body schema, by its path (objects, the first item of arrays, union branches). */
export function fieldsOf(
  schema: JsonSchema,
  prefix: (string | number)[] = [],
  depth = 0,
): { path: (string | number)[]; schema: JsonSchema; required: boolean }[] {
  if (depth > 3) return [];
  const variants = schema.anyOf ?? schema.oneOf;
  const branch = variants ? (variants.find((v) => v.type !== 'null') ?? schema) : schema;
  const out: { path: (string | number)[]; schema: JsonSchema; required: boolean }[] = [];
  for (const [k, sub] of Object.entries(branch.properties ?? {})) {
    const path = [...prefix, k];
    out.push({ path, schema: sub, required: branch.required?.includes(k) ?? false });
    out.push(...fieldsOf(sub, path, depth + 1));
  }
  if (typeOf(branch) === 'array' && branch.items)
    out.push(...fieldsOf(branch.items, [...prefix, 0], depth + 1));
  return out;
}

/** A copy of `body` with the value at `path` replaced, or removed when `value` is `undefined`. */
export function withField(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy: unknown = structuredClone(body);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = typeof key === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return copy;
}
