import { v7 } from 'uuid';

/**
 * A fresh Idempotency-Key: a time-ordered UUID (v7), as the server's own ids
 * are. The server keeps one receipt per key in an index; ordered keys are
 * added at its end instead of on a random page, so each commit syncs less
 * (docs/decisions.md, "Time-ordered ids"). uuid draws its randomness from
 * crypto.getRandomValues, which a console opened over plain http on the
 * community's network has too (crypto.randomUUID exists only on https and
 * localhost).
 */
export function newIdempotencyKey(): string {
  return v7();
}
