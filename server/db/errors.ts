/** SQLSTATE codes the app turns into answers of its own. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  deadlock: '40P01',
  serializationFailure: '40001',
  /** NUL or an unpaired surrogate reached the database: the input should have been refused earlier. */
  untranslatableCharacter: '22P05',
  invalidByteSequence: '22021',
  /** Raised by the trigger signatures_petition_open: the petition takes no signers. */
  petitionClosed: 'PC409',
  /** Raised by the same trigger: a signer names a void section. */
  sectionVoid: 'PC410',
} as const;

export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// Class 08 (connection exception), 57P01–57P03 (the server is shutting down or starting),
// 53300 (too many connections): the database is away for now, not the request at fault.
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const DRIVER_MESSAGES =
  /Connection terminated|Connection ended unexpectedly|not queryable|Timeout acquiring a connection|connection (is )?closed/i;

/** Whether the error means the database cannot be reached right now (a restart, a failover, a cut). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = sqlState(err);
  if (code && (UNAVAILABLE_STATES.test(code) || NETWORK_CODES.has(code))) return true;
  if (err.name === 'KnexTimeoutError') return true;
  return DRIVER_MESSAGES.test(err.message);
}

/** A deadlock or serialization failure: the statement did nothing and may simply be run again. */
export function isRetryable(err: unknown): boolean {
  const code = sqlState(err);
  return code === PG.deadlock || code === PG.serializationFailure;
}
