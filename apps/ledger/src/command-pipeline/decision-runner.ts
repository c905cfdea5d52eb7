import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../http/ids';
import type { Decider, DomainEvent } from '@haitang/domain';
import {
  EVENT_STORE, type EventStore, NO_STREAM, type StreamAppend, WrongExpectedVersionError,
} from '@haitang/event-store';
import type { CommandContext, CommandOutcome } from './command-context';
import { retriesCounter } from './command-metrics';
import { StreamCache } from './stream-cache';

type Folder<S> = Pick<Decider<never, DomainEvent, S, never>, 'initialState' | 'evolve'>;

/** A stream loaded and folded into its decider's state. */
export interface Loaded<S> {
  readonly streamId: string;
  readonly state: S;
  readonly version: number;
  readonly decider: Folder<S>;
}

/** Events a decision wants appended to one stream, checked against the version it was decided on. */
export interface Pending {
  readonly stream: Loaded<unknown>;
  readonly events: readonly DomainEvent[];
  /** When the events happened, if not now (e.g. a check-in time). */
  readonly occurredAt?: (event: DomainEvent) => string | undefined;
}

export interface Decision<R extends Record<string, unknown>> {
  readonly appends: readonly Pending[];
  readonly result: R;
  /** Work that must be done before the events are appended (idempotent: a retried decision runs it again). */
  readonly beforeAppend?: () => Promise<void>;
}

/**
 * Loads a stream for a decision. `expect: 'new'` says the caller minted the
 * stream's id just now (a random UUID), so there is nothing to read: the
 * append's "no stream yet" check still verifies it, and if it ever fails the
 * decision is made again from a real read.
 */
export type Load = <S>(decider: Folder<S>, streamId: string, hint?: { expect: 'new' }) => Promise<Loaded<S>>;

const MAX_ATTEMPTS = 5;

/** The hint for a stream whose id the caller just minted. */
export const NEW = { expect: 'new' } as const;

/**
 * The write path: load the streams a command needs, run the pure decision, and
 * append the new events with the versions they were decided on, plus the
 * command's receipt, in one atomic append. The append is the commit point.
 * When another command changed one of the streams meanwhile, the whole
 * decision is made again on fresh state (safe: the decider re-checks every
 * rule, so a retried check-out can never credit twice).
 *
 * Streams come from a cache of folded states that this runner keeps current
 * with its own appends, so most commands read nothing: the version check of
 * the append catches a state that another process changed meanwhile, and the
 * stale entry is dropped before the decision is made again. Streams read only
 * for context (does this volunteer exist?) are not version-checked; entities
 * are never deleted, so a cached "exists" stays true (see docs/decisions.md).
 */
@Injectable()
export class DecisionRunner {
  private readonly cache = new StreamCache();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** A stream's state: the cached one, or folded from the store (and then cached). */
  readonly load: Load = async (decider, streamId) => {
    const cached = this.cache.get(streamId, decider);
    if (cached) return { streamId, state: cached.state as ReturnType<typeof decider.evolve>, version: cached.version, decider };
    const events = await this.store.readStream(streamId);
    let state = decider.initialState;
    for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as DomainEvent);
    const version = events.length - 1;
    if (events.length > 0) this.cache.set(streamId, decider, version, state);
    return { streamId, state, version, decider };
  };

  private readonly loadTrustingHints: Load = (decider, streamId, hint) =>
    hint?.expect === 'new' && !this.cache.has(streamId)
      ? Promise.resolve({ streamId, state: decider.initialState, version: NO_STREAM, decider })
      : this.load(decider, streamId);

  async run<R extends Record<string, unknown>>(
    context: CommandContext,
    decide: (load: Load) => Promise<Decision<R>>,
  ): Promise<CommandOutcome<R>> {
    for (let attempt = 1; ; attempt++) {
      const decision = await decide(attempt === 1 ? this.loadTrustingHints : this.load);
      await decision.beforeAppend?.();
      try {
        const appended = await this.store.append(this.toStreamAppends(decision.appends, context), {
          receipt: { commandId: context.commandId, fingerprint: context.fingerprint, result: decision.result },
        });
        this.remember(decision.appends, appended.streams);
        return { result: decision.result, position: appended.position, replayed: false };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          // The store names the first stale stream it found; the decision's other streams may be stale as well
          // (another process appended to the same pair), so all of them are read afresh for the next attempt.
          this.cache.forget(error.streamId);
          for (const { stream } of decision.appends) this.cache.forget(stream.streamId);
          if (attempt < MAX_ATTEMPTS) {
            retriesCounter.inc();
            continue;
          }
        }
        throw error;
      }
    }
  }

  /**
   * Keeps the cached streams current with what this runner just appended.
   * Streams this command created are left out: most (a service record) are
   * rarely touched again, and would only push useful entries out.
   */
  private remember(appends: readonly Pending[], versions: readonly { streamId: string; version: number }[]): void {
    for (const { stream, events } of appends) {
      if (events.length === 0 || !this.cache.has(stream.streamId)) continue;
      const version = versions.find((v) => v.streamId === stream.streamId)?.version;
      if (version === undefined) continue;
      const state = events.reduce((s, e) => stream.decider.evolve(s, e), stream.state);
      this.cache.setIfNewer(stream.streamId, stream.decider, version, state);
    }
  }

  private toStreamAppends(appends: readonly Pending[], context: CommandContext): StreamAppend[] {
    const recordedAt = context.now.toISOString();
    return appends
      .filter((a) => a.events.length > 0)
      .map((a) => ({
        streamId: a.stream.streamId,
        expectedVersion: a.stream.version,
        events: a.events.map((event) => {
          const eventId = newId();
          return {
          eventId,
          type: event.type,
          data: event.data,
          metadata: {
            eventId,
            commandId: context.commandId,
            correlationId: context.correlationId,
            causationId: context.commandId,
            actor: context.actor,
            occurredAt: a.occurredAt?.(event) ?? recordedAt,
            recordedAt,
          },
          };
        }),
      }));
  }
}
