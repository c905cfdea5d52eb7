/**
 * Errors of the KurrentDB client, told apart by their `type` (every error
 * class of the client has one), so that nothing here loads the client.
 */

/**
 * True when an error of the KurrentDB client means "the server cannot serve us
 * right now" (answered 503) rather than a refusal or a bug: the client's
 * UnavailableError (no connection, or INTERNAL / DATA_LOSS from the server),
 * DeadlineExceededError (a commit that timed out on the server comes as that),
 * CancelledError (the server cancelled the call), NotLeaderError (a cluster's
 * leader moved; the client reconnects), a multi-stream append that reached a
 * follower (FAILED_PRECONDITION with NotLeaderNodeErrorDetails, which the
 * client leaves as an UnknownError), and raw gRPC errors with
 * those codes: some paths hand them over unconverted (the server-features
 * request that precedes the first multi-stream append, for one).
 */
export function isConnectionFailure(error: unknown): boolean {
  if (reachedFollower(error)) return true;
  const type = errorType(error);
  if (type !== undefined) return UNAVAILABLE_TYPES.has(type);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && RAW_GRPC_CODES.has(code);
}

const UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'cancelled', 'not-leader']);

/** A write that reached a cluster's follower: refused there, nothing recorded; the client must connect to the leader again. */
export function reachedFollower(error: unknown): boolean {
  const e = error as { _raw?: { code?: unknown; details?: unknown; metadata?: { getMap?: () => Record<string, unknown> } }; message?: unknown } | null;
  const raw = e?._raw;
  if (!raw || raw.code !== 9) return false;
  const text = [raw.details, e?.message, JSON.stringify(raw.metadata?.getMap?.() ?? {})].filter((t) => typeof t === 'string').join(' ');
  return /NotLeaderNode/i.test(text);
}

/** gRPC status codes CANCELLED (1), DEADLINE_EXCEEDED (4), UNAVAILABLE (14), fixed by the gRPC spec. */
const RAW_GRPC_CODES = new Set([1, 4, 14]);

/** The client's error type (ErrorType of its CommandError.d.ts: 'wrong-expected-version', 'stream-not-found', …), if it is one of its errors. */
export function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return error instanceof Error && typeof type === 'string' ? type : undefined;
}

/**
 * True when the failure certainly happened before a request left this process:
 * gRPC's "No connection established" is answered by the channel when it has
 * no connection to put the call on, so the call was never sent.
 */
export function failedBeforeSending(error: unknown): boolean {
  const e = error as { message?: unknown; _raw?: { message?: unknown } } | null;
  const messages = [e?.message, e?._raw?.message].filter((m): m is string => typeof m === 'string');
  return messages.some((m) => m.includes('No connection established') || m.includes('Name resolution failed'));
}

/** A connection string without its user and password (for messages and logs). */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
