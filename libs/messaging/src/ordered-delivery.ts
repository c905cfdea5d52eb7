import type { RecordedEvent } from '@haitang/event-store';
import { EventBusGapError } from './event-bus.port';

/**
 * What a consumer of an at-least-once bus does with what it receives: keeps
 * each position once, in order. Repeats (a relay that published a tail again)
 * are dropped; a missing position is an error, never skipped.
 */
export class OrderedDelivery {
  private gap: EventBusGapError | null = null;

  constructor(private last: number) {}

  /** The position of the last event handed on. */
  get position(): number {
    return this.last;
  }

  /**
   * The events of `received` not handed on before, in order, up to a hole if
   * there is one: hand them on, then call `assertNoGap`.
   */
  accept(received: readonly RecordedEvent[]): RecordedEvent[] {
    this.assertNoGap();
    const fresh: RecordedEvent[] = [];
    for (const event of received) {
      if (event.position <= this.last) continue;
      if (event.position !== this.last + 1) {
        this.gap = new EventBusGapError(this.last + 1, event.position);
        break;
      }
      fresh.push(event);
      this.last = event.position;
    }
    return fresh;
  }

  /** Throws EventBusGapError when the last `accept` stopped at a hole. */
  assertNoGap(): void {
    if (this.gap) throw this.gap;
  }
}

/**
 * Where to start reading a bus whose messages are numbered from 0 (Kafka
 * offsets, array indexes) for the events after `after`. A relay publishes each
 * position at least once and in order, so the message at offset o never holds a
 * position above o + 1: starting at offset `after` misses nothing, and what
 * precedes the wanted position there is a short run of repeats. `low` is the
 * first offset the bus still holds, `high` the next one it will write.
 */
export function startOffset(after: number, low: number, high: number): number {
  return Math.max(low, Math.min(after, high));
}

/** `items` in slices of at most `size`. */
export function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
