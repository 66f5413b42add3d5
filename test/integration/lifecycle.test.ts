import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { answerClientErrors } from '../../server/http/client-errors';
import { startServer } from '../../server/server';
import { freshDataDir, openIsolatedTestApp, openTestApp, removeDataDir } from '../support/app';
import { makePetition, postSigner, signer } from '../support/factories';

interface Operation {
  operationId: string;
  tags: string[];
  responses: Record<string, unknown>;
}

describe('health, readiness and the API description', () => {
  it('answers /healthz and /readyz, and describes the API as OpenAPI 3.1', async () => {
    const t = await openTestApp();
    try {
      expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
      expect((await request(t.app).get('/readyz')).body).toEqual({ status: 'ready' });
      const doc = (await request(t.app).get('/api/openapi.json')).body;
      expect(doc.openapi).toBe('3.1.0');
      const intake = doc.paths['/api/petitions/{id}/signatures'].post;
      expect(intake.requestBody.content['application/json'].schema).toBeDefined();
      expect(intake.responses['201']).toBeDefined();
      expect(intake.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['id', 'idempotency-key']),
      );
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/auth/login',
          '/api/petitions',
          '/api/petitions/{id}/progress',
          '/api/petitions/{id}/tallies.csv',
        ]),
      );
      // Every operation is named (camelCase, unique), tagged with a declared tag, answers some 4xx, and
      // the document says where the server is and under which license.
      const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
        ([path, ops]) => Object.entries(ops).map(([method, op]) => ({ where: `${method} ${path}`, ...op })),
      );
      const ids = operations.map((o) => o.operationId);
      expect(ids.every((id) => /^[a-z][a-zA-Z]+$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      const declared = new Set((doc.tags as { name: string }[]).map((tag) => tag.name));
      expect(operations.filter((o) => !o.tags.every((tag) => declared.has(tag))).map((o) => o.where)).toEqual(
        [],
      );
      expect(
        operations
          .filter((o) => !Object.keys(o.responses).some((s) => s.startsWith('4')))
          .map((o) => o.where),
      ).toEqual([]);
      expect(doc.paths['/api/openapi.json'].get.operationId).toBe('getOpenApiDocument');
      expect(doc.servers).toEqual([
        { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), description: 'This server' },
      ]);
      expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
      const unknown = await request(t.app).get('/api/nothing-here');
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    } finally {
      await t.close();
      removeDataDir(t.dataDir);
    }
  });

  it('when the database fails, then a generic 500 without SQL or stack, and /readyz says 503', async () => {
    // Its own database: the table renamed below must not vanish under the other test files.
    const t = await openIsolatedTestApp();
    try {
      await t.ctx.knex.raw('alter table petitions rename to petitions_gone');
      const res = await request(t.app).get('/api/petitions');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        type: '/problems/internal',
        title: 'Internal Server Error',
        status: 500,
        detail: 'Something went wrong.',
      });
      expect(res.text).not.toMatch(/petitions_gone|select|relation|at .*\.ts/i);
      await t.ctx.knex.raw('alter table petitions_gone rename to petitions');
      await t.ctx.knex.destroy();
      expect((await request(t.app).get('/readyz')).status).toBe(503);
    } finally {
      await t.close().catch(() => undefined);
      removeDataDir(t.dataDir);
    }
  });
});

describe('requests Node refuses before the app sees them', () => {
  it('answers a URL over 16 KB with a 431 problem, not a bare status line', async () => {
    const t = await openTestApp();
    const server = http.createServer(t.app);
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/petitions?q=${'x'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
      removeDataDir(t.dataDir);
    }
  });
});

describe('stopping', () => {
  it('ends every open progress stream at once and stops within 2 s', async () => {
    const dir = freshDataDir();
    const running = await startServer(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: process.env.DATABASE_URL,
        DATA_DIR: dir,
        PORT: '0',
        HOST: '127.0.0.1',
        DEMO: '0',
        LOG_LEVEL: 'silent',
      }),
      pino({ level: 'silent' }),
    );
    try {
      const { petition } = await makePetition(running.ctx, { public: true });
      const { port } = running.server.address() as AddressInfo;
      const ended: Promise<number>[] = [];
      for (let i = 0; i < 3; i++) {
        ended.push(
          new Promise((resolve, reject) => {
            http
              .get(
                { host: '127.0.0.1', port, path: `/api/petitions/${petition.id}/progress/stream` },
                (res) => {
                  res.on('end', () => resolve(Date.now()));
                  res.resume();
                },
              )
              .on('error', reject);
          }),
        );
      }
      for (let i = 0; i < 100 && running.ctx.progress.openStreams() < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(running.ctx.progress.openStreams()).toBe(3);
      const started = Date.now();
      await running.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
      for (const at of await Promise.all(ended)) expect(at - started).toBeLessThan(2_000);
    } finally {
      await running.stop();
      removeDataDir(dir);
    }
  });
});

describe('restarting', () => {
  it('loses nothing: signers, tallies and accounts are all there after a restart', async () => {
    const dir = freshDataDir();
    const first = await openTestApp(dir);
    const { petition, admin } = await makePetition(first.ctx);
    for (let i = 0; i < 5; i++) await postSigner(first.app, petition.id, admin, signer());
    const before = (await request(first.app).get(`/api/petitions/${petition.id}/progress`).set(admin.auth))
      .body;
    await first.close();

    const second = await openTestApp(dir);
    try {
      const after = (await request(second.app).get(`/api/petitions/${petition.id}/progress`).set(admin.auth))
        .body;
      expect(after.totals).toEqual(before.totals);
      expect(after.totals.raw).toBe(5);
      const list = await request(second.app).get(`/api/petitions/${petition.id}/signatures`).set(admin.auth);
      expect(list.body.items).toHaveLength(5);
    } finally {
      await second.close();
      removeDataDir(dir);
    }
  });
});
