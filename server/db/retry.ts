import { unavailable } from '../http/errors';
import { isRetryable } from './errors';

const ATTEMPTS = 5;

/**
 * Runs `work` again when the database aborted it for a deadlock or a serialization failure (which leave
 * nothing behind), a few times with a short random pause; then gives up with a 503 the client may retry.
 * `work` must be safe to repeat: one statement, or a whole transaction.
 */
export async function retryingConflicts<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (attempt === ATTEMPTS) throw unavailable('The database was too busy to finish this. Try again.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
