import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { BadRequestError, type FieldError, type HttpError } from './errors';

export interface RequestSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

export function issuesToFieldErrors(issues: z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((issue) => ({
    path:
      [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') ||
      prefix ||
      'body',
    message: issue.message,
  }));
}

export function badRequest(errors: FieldError[]): HttpError {
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return new BadRequestError(detail, { errors });
}

/**
 * Parses params, query and body with zod and writes the parsed values back, so handlers only ever see
 * validated input. Field errors are reported together, each named by its path.
 */
export function validate(schemas: RequestSchemas, bodyName?: string): RequestHandler {
  return (req, _res, next) => {
    const errors: FieldError[] = [];
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const result = schema.safeParse(req[part] ?? {});
      if (result.success) {
        Object.defineProperty(req, part, {
          value: result.data,
          writable: true,
          configurable: true,
          enumerable: true,
        });
      } else {
        errors.push(...issuesToFieldErrors(result.error.issues, part === 'body' ? bodyName : part));
      }
    }
    if (errors.length) throw badRequest(errors);
    next();
  };
}
