import type { FollowOptions, RecordedEvent } from '@haitang/event-store';

/**
 * The messaging port (DESIGN §4): the event log carried over a message bus.
 *
 * The event store is the outbox. One relay (relay.ts) follows the store and
 * publishes its events, in log order, to the bus; consumers (the projector)
 * follow the bus instead of the store. Delivery is at least once: a relay that
 * restarts before hearing an acknowledgement publishes the tail again. So the
 * bus keeps what was published in order, and `follow` hands every position
 * exactly once, in order, dropping repeats and refusing a gap.
 *
 * Adapters: in-process (in-process/, the reference) and Kafka (kafka/). Both
 * pass libs/messaging/test/event-bus.contract.ts.
 */
export interface EventBus {
  /**
   * Publishes events (consecutive positions, in order) and resolves once the
   * bus has them durably (Kafka: acknowledged by every in-sync replica).
   */
  publish(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * The last event the bus holds (null when empty): where a relay goes on
   * from, once it has checked that the event is the store's at that position.
   */
  lastPublished(): Promise<PublishedMark | null>;
  /**
   * The events with position > `after`, in order, each exactly once, as
   * batches of at most `batchSize`; then waits for more. Fails with
   * EventBusGapError rather than skip a position the bus does not hold.
   */
  follow(after: number, options?: FollowOptions): AsyncIterable<RecordedEvent[]>;
  close(): Promise<void>;
}

/** Which event a bus holds last. */
export interface PublishedMark {
  readonly position: number;
  readonly eventId: string;
}

/** The bus lacks a position a consumer needs: published out of order, or removed by retention. */
export class EventBusGapError extends Error {
  constructor(readonly expected: number, readonly found: number) {
    super(`The event bus has no event at position ${expected} (the next one it holds is ${found}): follow the event store instead, or publish the log again from ${expected - 1}.`);
    this.name = 'EventBusGapError';
  }
}

export const EVENT_BUS = Symbol('EventBus');
