import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/*
 * Requests go over a real socket to the in-process app with node:http, not supertest: the path is sent
 * exactly as written (no URL normalization of `%2e%2e` or re-encoding), bodies are raw bytes, and an
 * event stream is read up to its first event and then dropped.
 */

export interface Outgoing {
  method: string;
  /** Path and query, already percent-encoded as it should go on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: { contentType: string; data: string | Buffer };
}

export type Answer =
  | { kind: 'answer'; status: number; contentType: string; text: string }
  | { kind: 'no answer'; error: string };

const TIMEOUT_MS = 15_000;

/** Whether an event stream's text holds one whole `data:` event. */
const firstEvent = (text: string) => {
  const at = text.indexOf('data:');
  return at >= 0 && text.indexOf('\n\n', at) >= 0;
};

export interface Sender {
  send(req: Outgoing): Promise<Answer>;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<Sender> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  const send = (req: Outgoing): Promise<Answer> =>
    new Promise((resolve) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body) {
        headers['Content-Type'] = req.body.contentType;
        headers['Content-Length'] = Buffer.byteLength(req.body.data);
      }
      const outgoing = http.request({
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.path,
        headers,
        agent,
      });
      const timer = setTimeout(() => {
        outgoing.destroy();
        resolve({ kind: 'no answer', error: `no answer within ${TIMEOUT_MS / 1000} s` });
      }, TIMEOUT_MS);
      const done = (answer: Answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      outgoing.on('error', (err) => done({ kind: 'no answer', error: err.message }));
      outgoing.on('response', (res) => {
        const contentType = res.headers['content-type'] ?? '';
        const chunks: Buffer[] = [];
        const finish = () =>
          done({
            kind: 'answer',
            status: res.statusCode ?? 0,
            contentType,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (
            contentType.startsWith('text/event-stream') &&
            firstEvent(Buffer.concat(chunks).toString('utf8'))
          ) {
            finish();
            res.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', (err) => done({ kind: 'no answer', error: err.message }));
      });
      outgoing.end(req.body?.data);
    });

  return {
    send,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
