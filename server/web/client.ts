import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { Router, type Response } from 'express';
import { ServiceUnavailableError } from '../http/errors';

export const CLIENT_DIST = path.join(__dirname, '..', '..', 'client', 'dist');

/** Which built page answers which address; each page reads the rest of the path itself. */
const PAGES: [string, string][] = [
  ['/', 'index.html'],
  ['/p/:slug', 'dashboard.html'],
  ['/collect', 'collect.html'],
  ['/organize/:slug', 'organize.html'],
  ['/organize/:slug/:tab', 'organize.html'],
];

/**
 * The browser client built by Vite (`npm run build:client`): hashed assets cached for a year, pages
 * never cached so that a new release is picked up at once. Without a build, pages answer 503.
 */
export function clientRoutes(dist = CLIENT_DIST): Router {
  const router = Router();
  router.use(compression());
  router.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d' }));
  const sendPage = (res: Response, file: string) => {
    const full = path.join(dist, file);
    if (!existsSync(full))
      throw new ServiceUnavailableError('The browser client is not built: run npm run build:client.');
    res.set('Cache-Control', 'no-cache').sendFile(full);
  };
  for (const [route, file] of PAGES) router.get(route, (_req, res) => sendPage(res, file));
  router.use(
    express.static(dist, {
      index: false,
      maxAge: '1h',
      // The service worker must be re-checked on every visit, or an old one lingers.
      setHeaders: (res, file) => {
        if (file.endsWith('sw.js')) res.set('Cache-Control', 'no-cache');
      },
    }),
  );
  return router;
}
