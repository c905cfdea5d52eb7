import type { EventStore } from '@haitang/event-store';
import type { EventBus, PublishedMark } from './event-bus.port';

export interface LogRelayOptions {
  /** Events read from the store and published at a time (default 500). */
  readonly batchSize?: number;
  /** Wait after a failure before going on from what the bus holds (default 1000 ms). */
  readonly retryMs?: number;
  readonly pollIntervalMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * The outbox relay (DESIGN §4): follows the event store's log and publishes
 * it, in order, to the bus. Its checkpoint is what the bus holds: it starts
 * after the last position the bus has, and a batch counts as relayed only
 * once the bus acknowledged it. A failure (the bus or the store down) is
 * logged, and the relay goes on from the bus's last position again, so
 * nothing is skipped; a batch whose acknowledgement was lost is published
 * twice, and consumers drop the repeats. Never publish from a request
 * ("append, then publish" would lose or invent events on a crash between the two).
 *
 * Before going on, it checks that the last event the bus holds is the
 * store's event at that position: a bus filled from another log (a store
 * reset or restored from an older backup, a topic shared by mistake) would
 * otherwise make it skip the store's events up to there. It then stops
 * relaying and says why (the error stands: /health answers 503).
 *
 * Run one relay per log: a second would only publish repeats.
 */
export class LogRelay {
  private controller = new AbortController();
  private running: Promise<void> | null = null;
  private failure: Error | null = null;
  private relayed = 0;
  private published = 0;
  /** The last position of the batch whose publishing failed: the failure stands until the bus holds it. */
  private failedUpTo = 0;

  constructor(private readonly store: Pick<EventStore, 'follow' | 'readAll'>, private readonly bus: EventBus, private readonly options: LogRelayOptions = {}) {}

  /** The position of the last event the bus acknowledged (as this relay knows it). */
  get position(): number {
    return this.relayed;
  }

  /** Events published since start (repeats after a failure included). */
  get publishedEvents(): number {
    return this.published;
  }

  /** The last failure, until a batch is relayed again. */
  get error(): Error | null {
    return this.failure;
  }

  start(): void {
    if (this.running) return;
    this.controller = new AbortController();
    this.running = this.run(this.controller.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    while (!signal.aborted) {
      let batchEnd = 0;
      try {
        this.relayed = await this.resumePosition(await this.bus.lastPublished());
        if (this.relayed >= this.failedUpTo) this.failure = null;
        log('info', `Relaying the event log to the bus from position ${this.relayed}.`);
        for await (const batch of this.store.follow(this.relayed, { signal, batchSize: this.options.batchSize ?? 500, pollIntervalMs: this.options.pollIntervalMs })) {
          batchEnd = batch[batch.length - 1].position;
          await this.bus.publish(batch);
          this.published += batch.length;
          this.relayed = batch[batch.length - 1].position;
          this.failure = null;
        }
      } catch (error) {
        if (signal.aborted) break;
        this.failure = error as Error;
        if (error instanceof ForeignBusError) {
          log('error', error.message);
          return;
        }
        this.failedUpTo = batchEnd;
        log('error', `The event log is not being relayed: ${(error as Error)?.message ?? error} (retrying)`);
        await sleep(this.options.retryMs ?? 1000, signal);
      }
    }
  }

  /** Where to go on from: after the bus's last event, once it is known to be the store's event at that position. */
  private async resumePosition(last: PublishedMark | null): Promise<number> {
    if (!last) return 0;
    const [stored] = await this.store.readAll(last.position - 1, 1);
    if (stored?.position !== last.position || stored.eventId !== last.eventId) {
      throw new ForeignBusError(
        `The bus holds event ${last.eventId} at position ${last.position}, the event store ${stored?.position === last.position ? `event ${stored.eventId}` : 'no event'} there: `
        + 'the bus was filled from another log. Point the relay and the projectors at a new topic (HAITANG_KAFKA_TOPIC) and start them again.',
      );
    }
    return last.position;
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running?.catch(() => undefined);
    this.running = null;
  }
}

/** The bus does not hold this store's log: relaying would skip or mix events. Not retried. */
export class ForeignBusError extends Error {
  override readonly name = 'ForeignBusError';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
