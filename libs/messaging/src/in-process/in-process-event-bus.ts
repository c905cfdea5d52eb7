import type { FollowOptions, RecordedEvent } from '@haitang/event-store';
import type { EventBus, PublishedMark } from '../event-bus.port';
import { OrderedDelivery, slices, startOffset } from '../ordered-delivery';

/**
 * The messages of an in-process bus, as a broker would keep them: in the
 * order published, repeats included, each copied (JSON, as over the wire) so
 * that no consumer shares an object with the publisher.
 */
export class InProcessBroker {
  private readonly messages: string[] = [];
  private readonly waiting = new Set<() => void>();

  append(events: readonly RecordedEvent[]): void {
    for (const event of events) this.messages.push(JSON.stringify(event));
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  get size(): number {
    return this.messages.length;
  }

  read(offset: number, limit: number): RecordedEvent[] {
    return this.messages.slice(offset, offset + limit).map((m) => JSON.parse(m) as RecordedEvent);
  }

  /** Resolves when something is appended, or after `ms`, or when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * The in-process adapter of the messaging port: the reference the contract
 * suite is written against, and a bus for a relay and a projector that share
 * one process (the tests). Nothing survives the process.
 */
export class InProcessEventBus implements EventBus {
  private closed = false;

  constructor(readonly broker: InProcessBroker = new InProcessBroker()) {}

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    this.assertOpen();
    this.broker.append(events);
  }

  async lastPublished(): Promise<PublishedMark | null> {
    this.assertOpen();
    const size = this.broker.size;
    if (size === 0) return null;
    const [last] = this.broker.read(size - 1, 1);
    return { position: last.position, eventId: last.eventId };
  }

  async *follow(after: number, options: FollowOptions = {}): AsyncGenerator<RecordedEvent[]> {
    this.assertOpen();
    const batchSize = options.batchSize ?? 500;
    const delivery = new OrderedDelivery(after);
    let offset = startOffset(after, 0, this.broker.size);
    while (!options.signal?.aborted && !this.closed) {
      const received = this.broker.read(offset, batchSize);
      if (received.length === 0) {
        await this.broker.wait(options.pollIntervalMs ?? 100, options.signal);
        continue;
      }
      offset += received.length;
      for (const batch of slices(delivery.accept(received), batchSize)) yield batch;
      delivery.assertNoGap();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('This event bus is closed.');
  }
}
