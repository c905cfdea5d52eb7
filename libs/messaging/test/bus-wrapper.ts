import type { FollowOptions, RecordedEvent } from '@haitang/event-store';
import type { EventBus } from '../src';

/** A bus passed through to another; tests override `publish` to make it fail or repeat. */
export class BusWrapper implements EventBus {
  constructor(protected readonly inner: EventBus) {}

  publish(events: readonly RecordedEvent[]): Promise<void> {
    return this.inner.publish(events);
  }

  lastPublished() {
    return this.inner.lastPublished();
  }

  follow(after: number, options?: FollowOptions) {
    return this.inner.follow(after, options);
  }

  close() {
    return this.inner.close();
  }
}
