/**
 * The last folded state of recently loaded streams (states are immutable
 * values, so sharing them is safe). Bounded: when full, the entry stored
 * longest ago goes first. Lookups do not reorder entries: moving an entry in a
 * large Map on every read cost more than the reads it saved. An append decided
 * on a stale entry fails its version check, and the runner then forgets it.
 */
export class StreamCache {
  private readonly entries = new Map<string, { version: number; state: unknown; decider: unknown }>();

  constructor(private readonly capacity = 20_000) {}

  get(streamId: string, decider: unknown): { version: number; state: unknown } | undefined {
    const entry = this.entries.get(streamId);
    return entry && entry.decider === decider ? entry : undefined;
  }

  /** Replaces the entry unless it already holds a later version (two commands may finish out of order). */
  setIfNewer(streamId: string, decider: unknown, version: number, state: unknown): void {
    const current = this.entries.get(streamId);
    if (current && current.decider === decider && current.version >= version) return;
    this.set(streamId, decider, version, state);
  }

  has(streamId: string): boolean {
    return this.entries.has(streamId);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  set(streamId: string, decider: unknown, version: number, state: unknown): void {
    this.entries.set(streamId, { version, state, decider });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
