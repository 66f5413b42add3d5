import type { Logger } from './log';

export class Interrupted extends Error {
  constructor() {
    super('interrupted by shutdown');
  }
}

/**
 * Long jobs (imports, verification runs) run in the background of the process that accepted them. On
 * shutdown they are told to stop at their next checkpoint, and the process waits for them.
 */
export class Jobs {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  run<T>(name: string, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const promise = job(this.controller.signal);
    const tracked = promise.then(
      () => undefined,
      (err: unknown) => {
        if (!(err instanceof Interrupted)) this.log.error({ err, job: name }, 'background job failed');
      },
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
    return promise;
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.running]);
  }
}
