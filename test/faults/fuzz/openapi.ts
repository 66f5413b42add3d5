/** The parts of an OpenAPI 3.1 document (as zod-openapi writes it) that the fuzzer walks. */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As documented, with `{name}` placeholders. */
  path: string;
  parameters: Parameter[];
  /** The JSON request body's schema, references resolved. */
  body?: JsonSchema;
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Replaces every `$ref` to `#/components/schemas/…` with the schema it names. */
export function resolve(schema: JsonSchema, doc: Document, depth = 0): JsonSchema {
  if (depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved reference ${schema.$ref}`);
    return resolve(target, doc, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  const each = (list?: JsonSchema[]) => list?.map((s) => resolve(s, doc, depth + 1));
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)]),
    );
  }
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  if (schema.anyOf) out.anyOf = each(schema.anyOf);
  if (schema.oneOf) out.oneOf = each(schema.oneOf);
  if (schema.allOf) out.allOf = each(schema.allOf);
  return out;
}

export function operationsOf(raw: unknown): Operation[] {
  const doc = raw as Document;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method as Operation['method'],
        path,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema, doc) })),
        body: body ? resolve(body, doc) : undefined,
      });
    }
  }
  return ops;
}

export const paramsIn = (op: Operation, where: Parameter['in']) =>
  op.parameters.filter((p) => p.in === where);

export const describeOp = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;
