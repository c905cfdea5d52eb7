import type { EventStore } from '@haitang/event-store';
import type { EventBus } from './event-bus.port';

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

  constructor(private readonly store: Pick<EventStore, 'follow'>, private readonly bus: EventBus, private readonly options: LogRelayOptions = {}) {}

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
        this.relayed = await this.bus.lastPublishedPosition();
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
        this.failedUpTo = batchEnd;
        log('error', `The event log is not being relayed: ${(error as Error)?.message ?? error} (retrying)`);
        await sleep(this.options.retryMs ?? 1000, signal);
      }
    }
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running?.catch(() => undefined);
    this.running = null;
  }
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
