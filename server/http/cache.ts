import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** Readable by anyone and the same for everyone: caches and CDNs may keep it for a few seconds. */
export const PUBLIC_SHORT = 'public, max-age=5, stale-while-revalidate=30';
/** Depends on who asks: only the asker's own cache may keep it, and must check it each time. */
export const PRIVATE = 'private, no-cache';

export const strongEtag = (body: string | Buffer) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** Whether the request's If-None-Match names this strong ETag (or `*`). */
function matches(req: Request, etag: string): boolean {
  const header = req.get('if-none-match');
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag;
  });
}

/**
 * Sends a GET answer with a strong ETag and its Cache-Control, or 304 with no body when the client
 * already holds this very representation.
 */
export function sendWithEtag(
  req: Request,
  res: Response,
  body: string | Buffer,
  opts: { etag?: string; cacheControl: string },
): void {
  const etag = opts.etag ?? strongEtag(body);
  res.set('ETag', etag).set('Cache-Control', opts.cacheControl);
  if (matches(req, etag)) {
    res.status(304).end();
    return;
  }
  res.send(body);
}
