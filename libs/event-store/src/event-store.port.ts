/**
 * The EventStore port. Every adapter (SQLite, PostgreSQL, KurrentDB) passes the
 * same contract suite (libs/event-store/test/event-store.contract.ts).
 *
 * Versions: a stream's version is the 0-based index of its last event; a stream
 * that does not exist has version -1 (NO_STREAM).
 * Positions: the global log position, 1-based, gap-free and strictly increasing
 * in commit order, so "everything after N" never skips an event.
 */
export const NO_STREAM = -1;
export type ExpectedVersion = number | 'any';

export interface EventToAppend {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly EventToAppend[];
}

export interface RecordedEvent<TData = unknown, TMeta = Record<string, unknown>> {
  readonly position: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: TData;
  readonly metadata: TMeta;
  /** When the store committed it (ISO-8601 UTC). */
  readonly recordedAt: string;
}

/**
 * The receipt of a handled command, stored in the same transaction as its events.
 * It makes commands idempotent across retries, concurrent duplicates and restarts.
 */
export interface CommandReceipt {
  readonly commandId: string;
  /** A hash of the request; the same id with another fingerprint is refused. */
  readonly fingerprint: string;
  /** What the command answered (without the position). */
  readonly result: Record<string, unknown>;
  /** The position of the command's last event. */
  readonly position: number;
}

export interface AppendOptions {
  readonly receipt?: Omit<CommandReceipt, 'position'>;
}

export interface AppendResult {
  /** Position of the last event appended (the commit point). */
  readonly position: number;
  /** New version of each stream, in request order. */
  readonly streams: readonly { streamId: string; version: number }[];
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`Stream ${streamId}: expected version ${expectedVersion}, actual ${actualVersion}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** The command id already has a receipt; nothing was appended. */
export class DuplicateCommandError extends Error {
  constructor(readonly receipt: CommandReceipt) {
    super(`Command ${receipt.commandId} was already handled`);
    this.name = 'DuplicateCommandError';
  }
}

/** Some but not all event ids of an append were already stored: a client bug, never a retry. */
export class EventIdConflictError extends Error {
  constructor(readonly eventId: string) {
    super(`Event ${eventId} already exists elsewhere`);
    this.name = 'EventIdConflictError';
  }
}

/**
 * The store cannot take writes right now (disk full, database down). Answered 503.
 * `outcome` tells whether the refused change is in the log all the same:
 * 'not-recorded' when it certainly is not (it was never sent, or its transaction
 * was rolled back), 'unknown' when the connection or the writer was lost between
 * sending its commit and hearing the answer. Either way a retry with the same
 * Idempotency-Key records it once.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown, readonly outcome: 'not-recorded' | 'unknown' = 'not-recorded') {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export interface FollowOptions {
  /** Events per batch (default 500). */
  readonly batchSize?: number;
  /** Stop following when aborted. */
  readonly signal?: AbortSignal;
  /** How often to look for writes by other processes, in ms (default 100). */
  readonly pollIntervalMs?: number;
}

export interface EventStore {
  /**
   * Appends to one or more streams atomically, each checked against its expected
   * version. Resolves only once the events are durable.
   * Re-appending exactly the same event ids to the same stream is a no-op that
   * answers the original result (idempotent retry).
   */
  append(streams: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult>;
  /** A stream's events in version order from `fromVersion` (default 0), at most `limit` of them (default all); [] for a stream that does not exist. */
  readStream(streamId: string, fromVersion?: number, limit?: number): Promise<RecordedEvent[]>;
  /** Up to `limit` events of the whole log with position > `after`, in order. */
  readAll(after: number, limit: number): Promise<RecordedEvent[]>;
  /**
   * Optional, for rebuilds: every event with position > `after`, in order, each handed to `onEvent` as it
   * is read (one pass, no pages). When `onEvent` returns a promise, reading pauses until it settles (its
   * rejection fails the replay): backpressure for a consumer that writes elsewhere. Of the metadata only
   * what projections read is kept: `{ actor: { id } }` when the actor's id is a string, else `{}`.
   * Resolves with the number of events, once every promise `onEvent` returned has settled.
   */
  replayAll?(after: number, onEvent: (event: RecordedEvent) => void | Promise<void>): Promise<number>;
  /** The position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /** Follows the log from `after`, yielding batches as they are committed, never missing or repeating one. */
  follow(after: number, options?: FollowOptions): AsyncIterable<RecordedEvent[]>;
  /**
   * Optional, for a consumer that replays the whole log (a rebuild): the
   * batches of up to `batchSize` events after `after`, in order, until a read
   * finds nothing more (the head at that moment), as `readAll` in a loop
   * would give them, except that of the metadata only what projections read
   * is kept, as in `replayAll`: `{ actor: { id } }` when the actor's id is a
   * string, else `{}` (most of a row's bytes, and of its decoding, are the
   * metadata's ids and times, which no projection reads). An adapter may read
   * and decode them on another thread, ahead of the consumer (SqliteEventStore
   * does). Callers use the function `readToHead` below, which loops over
   * `readAll` for adapters without it.
   */
  readToHead?(after: number, batchSize: number): AsyncIterable<RecordedEvent[]>;
  getReceipt(commandId: string): Promise<CommandReceipt | undefined>;
  close(): Promise<void>;
  /** Adapters that commit appends in groups count them here (since start; for /metrics). */
  readonly groupStats?: GroupCommitStats;
}

/** Group commit at work: transactions committed, the appends they carried, the largest group. */
export interface GroupCommitStats {
  readonly groups: number;
  readonly appends: number;
  readonly largest: number;
}

export const EVENT_STORE = Symbol('EventStore');

/** The log from `after` to its head in batches (see EventStore.readToHead): the store's own way if it has one, else readAllInBatches. */
export function readToHead(store: EventStore, after: number, batchSize: number): AsyncIterable<RecordedEvent[]> {
  return store.readToHead ? store.readToHead(after, batchSize) : replayInBatches(store, after, batchSize);
}

/** readToHead as `readAll` in a loop gives it (for adapters without a way of their own): readAllInBatches, the metadata reduced. */
export function replayInBatches(store: Pick<EventStore, 'readAll'>, after: number, batchSize: number): AsyncIterable<RecordedEvent[]> {
  return forProjections(readAllInBatches(store, after, batchSize));
}

/** The metadata a replay keeps (see EventStore.replayAll and readToHead): the actor's id when it is a string. */
export function projectionMetadata(actorId: unknown): Record<string, unknown> {
  return typeof actorId === 'string' ? { actor: { id: actorId } } : {};
}

async function* forProjections(batches: AsyncIterable<RecordedEvent[]>): AsyncGenerator<RecordedEvent[]> {
  for await (const batch of batches) {
    yield batch.map((event) => ({ ...event, metadata: projectionMetadata((event.metadata as { actor?: { id?: unknown } } | null)?.actor?.id) }));
  }
}

/** readAll in a loop, from `after` until a read finds nothing more. */
export async function* readAllInBatches(store: Pick<EventStore, 'readAll'>, after: number, batchSize: number): AsyncGenerator<RecordedEvent[]> {
  for (let position = after; ;) {
    const batch = await store.readAll(position, batchSize);
    if (batch.length === 0) return;
    yield batch;
    position = batch[batch.length - 1].position;
  }
}
