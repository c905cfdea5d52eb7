/**
 * The last folded state of recently used streams, so a command reads and folds
 * only the events appended since (states are immutable values, so sharing them
 * is safe). Bounded; the least recently used stream is dropped first. A stale
 * entry costs nothing but a catch-up read: the store is always asked for newer
 * events, and an append decided on a stale state fails its version check.
 */
export class StreamCache {
  private readonly entries = new Map<string, { version: number; state: unknown; decider: unknown }>();

  constructor(private readonly capacity = 20_000) {}

  get(streamId: string, decider: unknown): { version: number; state: unknown } | undefined {
    const entry = this.entries.get(streamId);
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry;
  }

  set(streamId: string, decider: unknown, version: number, state: unknown): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, { version, state, decider });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
