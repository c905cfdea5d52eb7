import type { AppendOptions, AppendResult, CommandReceipt, EventStore, FollowOptions, RecordedEvent, StreamAppend } from '@haitang/event-store';
import type { EventBus } from './event-bus.port';

/**
 * The event log as a projector sees it with HAITANG_BUS=kafka: `follow`
 * reads the bus a relay fills, everything else (the head, for lag; a
 * stream, a rebuild's replay) the event store itself.
 */
export class LogViaBus implements EventStore {
  readonly replayAll?: EventStore['replayAll'];
  readonly readToHead?: EventStore['readToHead'];

  constructor(private readonly store: EventStore, private readonly bus: EventBus) {
    // A rebuild reads the whole log from the store, the store's own faster way where it has one.
    if (store.replayAll) this.replayAll = store.replayAll.bind(store);
    if (store.readToHead) this.readToHead = store.readToHead.bind(store);
  }

  follow(after: number, options?: FollowOptions): AsyncIterable<RecordedEvent[]> {
    return this.bus.follow(after, options);
  }

  append(streams: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult> {
    return this.store.append(streams, options);
  }

  readStream(streamId: string, fromVersion?: number, limit?: number): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId, fromVersion, limit);
  }

  readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.store.readAll(after, limit);
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  getReceipt(commandId: string): Promise<CommandReceipt | undefined> {
    return this.store.getReceipt(commandId);
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.store.close();
  }
}
