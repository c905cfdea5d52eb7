import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '@haitang/domain';
import {
  EVENT_STORE, type EventStore, type StreamAppend, WrongExpectedVersionError,
} from '@haitang/event-store';
import type { CommandContext, CommandOutcome } from './command-context';
import { StreamCache } from './stream-cache';

/** A stream loaded and folded into its decider's state. */
export interface Loaded<S> {
  readonly streamId: string;
  readonly state: S;
  readonly version: number;
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

export type Load = <S>(decider: Pick<Decider<never, DomainEvent, S, never>, 'initialState' | 'evolve'>, streamId: string) => Promise<Loaded<S>>;

const MAX_ATTEMPTS = 5;

/**
 * The write path: load the streams a command needs, run the pure decision, and
 * append the new events with the versions they were decided on, plus the
 * command's receipt, in one atomic append. The append is the commit point.
 * When another command changed one of the streams meanwhile, the whole
 * decision is made again on fresh state (safe: the decider re-checks every
 * rule, so a retried check-out can never credit twice).
 */
@Injectable()
export class DecisionRunner {
  private readonly cache = new StreamCache();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Folds a stream into state, starting from the cached state when there is one. */
  readonly load: Load = async (decider, streamId) => {
    const cached = this.cache.get(streamId, decider);
    let state = cached ? (cached.state as typeof decider.initialState) : decider.initialState;
    let version = cached ? cached.version : -1;
    const events = await this.store.readStream(streamId, version + 1);
    for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as DomainEvent);
    if (events.length > 0) {
      version = events[events.length - 1].streamVersion;
      this.cache.set(streamId, decider, version, state);
    }
    return { streamId, state, version };
  };

  async run<R extends Record<string, unknown>>(
    context: CommandContext,
    decide: (load: Load) => Promise<Decision<R>>,
  ): Promise<CommandOutcome<R>> {
    for (let attempt = 1; ; attempt++) {
      const decision = await decide(this.load);
      await decision.beforeAppend?.();
      try {
        const appended = await this.store.append(this.toStreamAppends(decision.appends, context), {
          receipt: { commandId: context.commandId, fingerprint: context.fingerprint, result: decision.result },
        });
        return { result: decision.result, position: appended.position, replayed: false };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
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
          const eventId = randomUUID();
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
