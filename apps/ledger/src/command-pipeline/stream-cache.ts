/**
 * The last folded state of recently used streams (states are immutable values,
 * so sharing them is safe). Bounded; the least recently used stream is dropped
 * first. An append decided on a stale entry fails its version check, and the
 * runner then forgets the entry.
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

  /** Replaces the entry unless it already holds a later version (two commands may finish out of order). */
  setIfNewer(streamId: string, decider: unknown, version: number, state: unknown): void {
    const current = this.entries.get(streamId);
    if (current && current.decider === decider && current.version >= version) return;
    this.set(streamId, decider, version, state);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  set(streamId: string, decider: unknown, version: number, state: unknown): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, { version, state, decider });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
