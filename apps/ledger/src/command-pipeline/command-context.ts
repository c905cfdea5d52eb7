import type { Actor } from '@haitang/domain';

/** What a command carries besides its payload: identity, idempotency and tracing. */
export interface CommandContext {
  /** The Idempotency-Key (or a fresh id when the client sent none). */
  readonly commandId: string;
  /** Hash of the request: the same key with another request is refused. */
  readonly fingerprint: string;
  readonly correlationId: string;
  readonly actor: Actor;
  /** The ledger's clock for this command. */
  readonly now: Date;
}

/** What every handled command answers: its own result plus the log position of its last event. */
export interface CommandOutcome<R extends Record<string, unknown> = Record<string, unknown>> {
  readonly result: R;
  readonly position: number;
  /** True when this answer repeats the first answer to the same Idempotency-Key. */
  readonly replayed: boolean;
}
