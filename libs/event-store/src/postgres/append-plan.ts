import {
  type AppendResult, type CommandReceipt, DuplicateCommandError, EventIdConflictError, type ExpectedVersion, NO_STREAM,
  WrongExpectedVersionError,
} from '../event-store.port';

/** An append with its JSON already serialized (done when `append` is called, outside the commit). */
export interface PreparedAppend {
  readonly streams: readonly {
    readonly streamId: string;
    readonly expectedVersion: ExpectedVersion;
    readonly events: readonly { eventId: string; type: string; data: string; metadata: string }[];
  }[];
  readonly receipt?: { commandId: string; fingerprint: string; result: string };
}

export interface StoredEventRef {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
}

/** What the database holds for the keys a group touches, read under the append lock. */
export interface GroupLookup {
  readonly head: number;
  /** Current version of each stream that exists. */
  readonly versions: ReadonlyMap<string, number>;
  readonly events: ReadonlyMap<string, StoredEventRef>;
  readonly receipts: ReadonlyMap<string, CommandReceipt>;
}

export type AppendOutcome = { ok: AppendResult } | { error: Error };

export interface GroupPlan {
  readonly outcomes: AppendOutcome[];
  /** Rows to insert, positions head+1.. in order. */
  readonly events: { position: number; streamId: string; streamVersion: number; eventId: string; type: string; data: string; metadata: string }[];
  readonly receipts: { commandId: string; fingerprint: string; result: string; position: number }[];
  readonly head: number;
}

/** The keys a group needs looked up. */
export function keysOf(group: readonly PreparedAppend[]): { streamIds: string[]; eventIds: string[]; commandIds: string[] } {
  const streamIds = new Set<string>();
  const eventIds = new Set<string>();
  const commandIds = new Set<string>();
  for (const append of group) {
    if (append.receipt) commandIds.add(append.receipt.commandId);
    for (const stream of append.streams) {
      streamIds.add(stream.streamId);
      for (const event of stream.events) eventIds.add(event.eventId);
    }
  }
  return { streamIds: [...streamIds], eventIds: [...eventIds], commandIds: [...commandIds] };
}

/**
 * Decides every append of a group in order, as if each ran alone in its own
 * savepoint (the SQLite writer's semantics): a refused append changes nothing
 * and never fails the others; later appends see what earlier ones wrote.
 * Pure: the database was read once for the whole group (`lookup`), under the
 * append lock, so nobody else can write meanwhile.
 */
export function planGroup(group: readonly PreparedAppend[], lookup: GroupLookup): GroupPlan {
  const versions = new Map(lookup.versions);
  const known = new Map(lookup.events);
  const receipts = new Map(lookup.receipts);
  const plan: GroupPlan = { outcomes: [], events: [], receipts: [], head: lookup.head };
  let head = lookup.head;

  for (const append of group) {
    try {
      const { receipt } = append;
      if (receipt) {
        const stored = receipts.get(receipt.commandId);
        if (stored) throw new DuplicateCommandError(stored);
      }
      const retried = retriedAppend(append, known);
      if (retried) {
        plan.outcomes.push({ ok: retried });
        continue;
      }
      // Staged apart, merged only if the whole append is accepted.
      const stagedVersions = new Map<string, number>();
      const stagedEvents: GroupPlan['events'] = [];
      const stagedIds = new Set<string>();
      let position = 0;
      let next = head;
      const streams: { streamId: string; version: number }[] = [];
      for (const stream of append.streams) {
        const current = stagedVersions.get(stream.streamId) ?? versions.get(stream.streamId) ?? NO_STREAM;
        if (stream.expectedVersion !== 'any' && stream.expectedVersion !== current) {
          throw new WrongExpectedVersionError(stream.streamId, stream.expectedVersion, current);
        }
        let version = current;
        for (const event of stream.events) {
          if (known.has(event.eventId) || stagedIds.has(event.eventId)) throw new EventIdConflictError(event.eventId);
          stagedIds.add(event.eventId);
          version += 1;
          next += 1;
          position = next;
          stagedEvents.push({ position, streamId: stream.streamId, streamVersion: version, eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
        }
        stagedVersions.set(stream.streamId, version);
        streams.push({ streamId: stream.streamId, version });
      }
      for (const [streamId, version] of stagedVersions) versions.set(streamId, version);
      for (const row of stagedEvents) {
        known.set(row.eventId, { position: row.position, streamId: row.streamId, streamVersion: row.streamVersion });
        plan.events.push(row);
      }
      head = next;
      if (receipt) {
        plan.receipts.push({ ...receipt, position });
        receipts.set(receipt.commandId, { commandId: receipt.commandId, fingerprint: receipt.fingerprint, result: JSON.parse(receipt.result), position });
      }
      plan.outcomes.push({ ok: { position, streams } });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError || error instanceof DuplicateCommandError || error instanceof EventIdConflictError)) throw error;
      plan.outcomes.push({ error });
    }
  }
  return { ...plan, head };
}

/** An append whose event ids are all stored already, in the same streams and order, is a retry: answer what the first one got. */
function retriedAppend(append: PreparedAppend, known: ReadonlyMap<string, StoredEventRef>): AppendResult | null {
  const first = append.streams.find((s) => s.events.length > 0)?.events[0];
  if (!first || !known.has(first.eventId)) return null;
  let position = 0;
  const streams: { streamId: string; version: number }[] = [];
  for (const stream of append.streams) {
    let version = NO_STREAM;
    let previous: number | null = null;
    for (const event of stream.events) {
      const row = known.get(event.eventId);
      if (!row || row.streamId !== stream.streamId || (previous !== null && row.streamVersion !== previous + 1)) {
        throw new EventIdConflictError(event.eventId);
      }
      previous = version = row.streamVersion;
      position = Math.max(position, row.position);
    }
    streams.push({ streamId: stream.streamId, version });
  }
  return { position, streams };
}
