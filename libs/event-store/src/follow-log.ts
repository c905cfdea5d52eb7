import type { EventStore, FollowOptions, RecordedEvent } from './event-store.port';

/**
 * Follows a store's log by reading after the last seen position. It wakes up
 * when this process appends (`wakeUp`) and otherwise polls, so writes by other
 * processes are seen too. Because positions are gap-free and only ever become
 * visible in order, "read after the last position" never misses or repeats.
 */
export async function* followLog(
  store: Pick<EventStore, 'readAll'>,
  after: number,
  options: FollowOptions,
  waitForAppend: (timeoutMs: number, signal?: AbortSignal) => Promise<void>,
): AsyncGenerator<RecordedEvent[]> {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  let position = after;
  while (!options.signal?.aborted) {
    const batch = await store.readAll(position, batchSize);
    if (batch.length > 0) {
      position = batch[batch.length - 1].position;
      yield batch;
      continue;
    }
    await waitForAppend(pollIntervalMs, options.signal);
  }
}

/** A wake-up signal for followers in the same process. */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
