import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
const KEY = Symbol('correlationId');

/**
 * One id per request, shared by the log lines and the command's events:
 * the client's X-Correlation-Id, else its Idempotency-Key, else a new one.
 */
export function correlationIdOf(req: IncomingMessage): string {
  const memo = (req as unknown as Record<symbol, string>)[KEY];
  if (memo) return memo;
  const header = req.headers['x-correlation-id'];
  const key = req.headers['idempotency-key'];
  const id = typeof header === 'string' && CORRELATION_PATTERN.test(header) ? header
    : typeof key === 'string' && CORRELATION_PATTERN.test(key) ? key
      : randomUUID();
  (req as unknown as Record<symbol, string>)[KEY] = id;
  return id;
}
