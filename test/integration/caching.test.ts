import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { makeMember, makePetition, postSigner, signer } from '../support/factories';
import { useTestApp, type TestApp } from '../support/app';

/* API.md, "Caching and conditional reads (v1.1)". */
const app = useTestApp();
let t: TestApp;
beforeAll(() => {
  t = app();
});

describe('conditional reads', () => {
  it('serves public progress with a strong ETag and a short public lifetime, and 304 when unchanged', async () => {
    const { petition, admin } = await makePetition(t.ctx, { public: true });
    const url = `/api/petitions/${petition.id}/progress`;
    const first = await request(t.app).get(url);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=30');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await request(t.app).get(url).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    await postSigner(t.app, petition.id, admin, signer());
    const changed = await request(t.app).get(url).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.body.totals.raw).toBe(1);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('never lets a shared cache keep what only members may read: private progress, tallies and samples', async () => {
    const { petition } = await makePetition(t.ctx);
    const viewer = await makeMember(t.ctx, petition.id, 'viewer');
    const organizer = await makeMember(t.ctx, petition.id, 'organizer');
    const sample = await request(t.app)
      .post(`/api/petitions/${petition.id}/samples`)
      .set(organizer.auth)
      .send({});
    for (const path of [
      'progress',
      'tallies.csv',
      'tallies.csv?bom=1',
      `samples/${sample.body.id}`,
      `samples/${sample.body.id}.csv`,
    ]) {
      const url = `/api/petitions/${petition.id}/${path}`;
      const res = await request(t.app).get(url).set(viewer.auth);
      expect({ path, cache: res.headers['cache-control'] }).toEqual({ path, cache: 'private, no-cache' });
      const etag = res.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const revalidated = await request(t.app)
        .get(url)
        .set(viewer.auth)
        .set('If-None-Match', `"other", ${etag}`);
      expect({ path, status: revalidated.status }).toEqual({ path, status: 304 });
    }
  });
});

describe('progress stream event ids', () => {
  it('gives every event an id, and sends a reconnecting client the document only if it changed', async () => {
    const { petition, admin } = await makePetition(t.ctx, { public: true });
    const path = `/api/petitions/${petition.id}/progress/stream`;
    const first = await readStream(path, {});
    const id = /^id: (\S+)$/m.exec(first)?.[1];
    expect(id).toBeDefined();
    expect(first).toMatch(/event: progress/);
    const same = await readStream(path, { 'Last-Event-ID': id as string });
    expect(same).not.toMatch(/event: progress/);
    await postSigner(t.app, petition.id, admin, signer());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const changed = await readStream(path, { 'Last-Event-ID': id as string });
    expect(changed).toMatch(/event: progress/);
    expect(/^id: (\S+)$/m.exec(changed)?.[1]).not.toBe(id);
  });
});

/** What a stream sends in its first 400 ms. */
function readStream(path: string, headers: Record<string, string>): Promise<string> {
  const server = http.createServer(t.app).listen(0);
  return new Promise((resolve, reject) => {
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      let text = '';
      const req = http.get({ port, path, headers }, (res) =>
        res.on('data', (c: Buffer) => (text += c.toString())),
      );
      req.on('error', () => undefined);
      setTimeout(() => {
        req.destroy();
        server.closeAllConnections();
        server.close(() => resolve(text));
      }, 400);
    });
    server.once('error', reject);
  });
}
