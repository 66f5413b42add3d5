/*
 * The benchmark's baseline: an Express 5 "hello" route and nothing else, in a process of its own,
 * measured with the same load generator and connections as the API. Every HTTP figure of
 * `npm run bench` is reported as a ratio to it, so runs on a faster or slower day compare.
 */
import express from 'express';

const app = express();
app.get('/hello', (_req, res) => {
  res.send('hello');
});
const port = Number(process.env.PORT ?? 0);
const server = app.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
