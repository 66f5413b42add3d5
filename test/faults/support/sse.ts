import { performance } from 'node:perf_hooks';
import { sleep, waitFor } from './server';

export interface StreamEvent {
  event: string;
  id: string | undefined;
  data: string;
  /** performance.now() when it arrived. */
  at: number;
  /** Which connection (1, 2, …) carried it. */
  connection: number;
}

/**
 * A progress stream read the way a browser's EventSource reads it: when the connection ends or fails, it
 * waits the `retry:` the server asked for (3 s unless told) and connects again with `Last-Event-ID`.
 */
export class EventStream {
  readonly events: StreamEvent[] = [];
  /** Why each connection ended (or could not be made). */
  readonly ends: string[] = [];
  connections = 0;
  private retryMs = 3_000;
  private lastId: string | undefined;
  private closed = false;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly connectTimeoutMs = 10_000,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort?.abort();
    await this.loop;
  }

  /** The progress documents received, parsed. */
  documents<T>(): T[] {
    return this.events.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data) as T);
  }

  async waitForEvent(
    what: string,
    match: (e: StreamEvent) => boolean,
    timeoutMs: number,
    from = 0,
  ): Promise<StreamEvent> {
    return waitFor(what, () => this.events.slice(from).find(match), timeoutMs, 50);
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      await this.connect().catch((err: Error) => this.ends.push(`error: ${err.message}`));
      if (this.closed) return;
      await sleep(this.retryMs);
    }
  }

  private async connect(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const connection = ++this.connections;
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.lastId !== undefined) headers['Last-Event-ID'] = this.lastId;
    const timer = setTimeout(() => abort.abort(new Error('no answer')), this.connectTimeoutMs);
    let res: Response;
    try {
      res = await fetch(this.url, { headers, signal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
    if (res.status !== 200 || !res.body) {
      const body = await res.text().catch(() => '');
      this.ends.push(`status ${res.status}: ${body.slice(0, 200)}`);
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end), connection);
          buffer = buffer.slice(end + 2);
        }
      }
      this.ends.push('ended by the server');
    } catch (err) {
      if (!this.closed) this.ends.push(`cut: ${(err as Error).message}`);
    }
  }

  private dispatch(block: string, connection: number): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (id !== undefined) this.lastId = id;
    if (!data.length) return;
    this.events.push({ event, id, data: data.join('\n'), at: performance.now(), connection });
  }
}
