import type {
  AppendStreamRequest, AppendStreamState, EventData, JSONType, KurrentDBClient, ReadStreamOptions,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  type AppendOptions, type AppendResult, type CommandReceipt, DuplicateCommandError, EventIdConflictError, type EventStore,
  type ExpectedVersion, type FollowOptions, NO_STREAM, type RecordedEvent, StoreUnavailableError, type StreamAppend,
  WrongExpectedVersionError,
} from '../event-store.port';
import { AppendSignal, followLog } from '../follow-log';
import { errorType, failedBeforeSending, isConnectionFailure, reachedFollower, redactedUrl } from './connection-failure';
import { kurrentClient } from './kurrent-client';
import { asObject, decodeData, decodeProperties, encodeProperties, jsonData } from './event-codec';
import { type LogPointer, mapLimited, type PointerRun, pointerRuns } from './pointer-runs';
import { assertDistinctIgnoringCase, DEFAULT_NAMESPACE, StreamNames } from './stream-names';

export interface KurrentDbEventStoreOptions {
  /** The client's connection string, e.g. kurrentdb://localhost:2113?tls=false. */
  readonly url: string;
  /** Prefix of every stream this store writes (default `haitang`): letters, digits and _ (see stream-names.ts). */
  readonly namespace?: string;
}

/** Event types of the adapter's own streams (the Haitang events keep their own types). */
export const KURRENTDB_EVENT_TYPES = {
  pointer: 'haitang.logged',
  marker: 'haitang.event-id',
  receipt: 'haitang.command-handled',
} as const;

/** The client's constants (constants.d.ts), spelled out so that they need no loaded client. */
const KURRENT_NO_STREAM = 'no_stream' satisfies AppendStreamState;
const BACKWARDS = 'backwards' satisfies ReadStreamOptions['direction'];
const END = 'end' satisfies ReadStreamOptions['fromRevision'];

/** An append that was refused for a reason that goes away by itself (another writer moved the log, or an 'any' stream): try again. */
const RETRY = Symbol('retry');
/** How often one append is tried before it is answered with 503. */
const MAX_ATTEMPTS = 50;
/** Reads in flight at once for one readAll page or one marker lookup. */
const READ_PARALLELISM = 16;

/** What the client hands over for a stored event (RecordedEvent of the client, without its JSON/binary typing). */
interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** One append as it is sent: the requests of the multi-stream append and what it answers when it commits. */
interface AppendPlan {
  readonly requests: AppendStreamRequest[];
  readonly result: AppendResult;
  /** The log's length once the append commits. */
  readonly head: number;
  /** For each Haitang stream written: the expectation the caller gave first ('any' was sent as the version read). */
  readonly expectations: ReadonlyMap<string, ExpectedVersion>;
}

interface StoredMarker {
  readonly stream: string;
  readonly version: number;
  readonly position: number;
}

/**
 * The event store on KurrentDB (≥ 25.1: it needs atomic appends to several
 * streams). Stream layout: stream-names.ts.
 *
 * Global order: KurrentDB's own log positions have gaps (they are byte
 * offsets), so Haitang's gap-free positions come from a log stream holding one
 * pointer per Haitang event, written in the same atomic append as the events:
 * position = pointer revision + 1. The log is appended to with the exact
 * expected revision of the head this process knows, so every position is
 * known before writing (it goes into the event's properties) and two writers
 * can never both take it: the loser is refused as a whole, re-reads the head
 * and tries again. Within a process appends are serialized (one promise
 * chain), so the process never races itself for the log; several processes
 * may share a store, at the price of retries when they write at once. Since
 * the log is one stream, its revisions become visible in order, and reading
 * "after position N" never skips an event committed later by a slower writer.
 *
 * Event ids are unique across the store, and command receipts are written
 * once, through marker streams (one per event id, one per command id)
 * appended to with expected state "no stream" in the same atomic append: a
 * second use is refused by the server, atomically with everything else. The
 * refusal is then explained by reading: the receipt (DuplicateCommandError),
 * the markers (an exact re-append is a retry and answers the original result;
 * a partial one is an EventIdConflictError), else the stream the server names
 * (WrongExpectedVersionError, or a retry for a stream the caller said 'any'
 * of, whose version was read just before).
 *
 * Each append is one `multiStreamAppend` call, so it is durable once the
 * server answers. A connection lost while it runs answers 503 with outcome
 * 'unknown'; a retry with the same event ids or command id then finds the
 * markers or the receipt if it was stored.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly names: StreamNames;
  /** The log's length as this process last saw it; undefined when it must be read again. */
  private head: number | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly appended = new AppendSignal();
  private closed = false;
  private disposed = false;

  private constructor(private client: KurrentDBClient, names: StreamNames, private readonly url: string) {
    this.names = names;
  }

  /** Connects and checks that the server answers (reads the log's head); a clear Error otherwise. */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const names = new StreamNames(options.namespace ?? DEFAULT_NAMESPACE);
    const where = redactedUrl(options.url);
    let client: KurrentDBClient;
    try {
      client = kurrentClient().KurrentDBClient.connectionString(options.url);
    } catch (error) {
      throw new Error(`KurrentDB connection string ${where} is not valid: ${messageOf(error)}`, { cause: error });
    }
    const store = new KurrentDbEventStore(client, names, options.url);
    try {
      store.head = await store.readHead();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      const cause = error instanceof StoreUnavailableError && error.cause ? error.cause : error;
      // The client's UnavailableError says no more than its name: say what it means and what to check.
      const why = isConnectionFailure(cause)
        ? `no server answered (${messageOf(cause)}); check the host and port, and tls=false for a server without TLS`
        : messageOf(cause);
      throw new Error(`KurrentDB at ${where} cannot be reached: ${why}`, { cause });
    }
    return store;
  }

  append(streams: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The event store is closed.'));
    const run = this.tail.then(() => this.appendNow(streams, options.receipt));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(streams: readonly StreamAppend[], receipt: AppendOptions['receipt']): Promise<AppendResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const outcome = await this.attempt(streams, receipt);
      if (outcome !== RETRY) return outcome;
      // A little jitter, so that processes refused by each other do not meet again at once.
      await sleep(Math.random() * Math.min(50, 2 * attempt));
    }
    throw new StoreUnavailableError(
      `KurrentDB kept refusing the append (${MAX_ATTEMPTS} attempts) because other writers moved the log or its 'any' streams meanwhile; nothing was recorded. Please retry.`,
    );
  }

  private async attempt(streams: readonly StreamAppend[], receipt: AppendOptions['receipt']): Promise<AppendResult | typeof RETRY> {
    if (this.head === undefined) this.head = await this.readHead();
    const plan = await this.plan(streams, receipt, this.head);
    if (plan.requests.length === 0) return plan.result;
    try {
      await this.client.multiStreamAppend(plan.requests);
    } catch (raw) {
      this.head = undefined;
      // Errors of the append session itself may come unconverted (a raw gRPC error): converted here, as the client does its own.
      const error = raw instanceof Error ? kurrentClient().convertToCommandError(raw) : raw;
      if (isRevisionConflict(error)) return this.refused(error, streams, receipt, plan);
      if (reachedFollower(error)) {
        // The client stays on a follower until it connects again: it does, for the next append.
        this.reconnect();
        throw new StoreUnavailableError('KurrentDB answered from a follower that does not take writes; nothing was recorded. Please retry.', error);
      }
      if (errorType(error) === 'unsupported') {
        throw new Error('This KurrentDB server cannot append to several streams atomically: Haitang needs KurrentDB 25.1 or later.', { cause: error });
      }
      if (isConnectionFailure(error)) {
        throw failedBeforeSending(error)
          ? new StoreUnavailableError('KurrentDB cannot be reached right now; nothing was recorded. Please retry.', error)
          : new StoreUnavailableError(
            'The connection to KurrentDB was lost while saving: the change may or may not be recorded. Retry with the same Idempotency-Key.', error, 'unknown',
          );
      }
      throw error;
    }
    this.head = plan.head;
    this.appended.notify();
    return plan.result;
  }

  /**
   * The requests of one multi-stream append, in this order: the Haitang streams
   * (each once: appends to one stream listed twice are merged), the log, the
   * event-id markers, the receipt. Positions head+1.. in request order.
   */
  private async plan(streams: readonly StreamAppend[], receipt: AppendOptions['receipt'], head: number): Promise<AppendPlan> {
    const { jsonEvent } = kurrentClient();
    const staged = new Map<string, { expected: ExpectedVersion; sentVersion: number; version: number; events: EventData[] }>();
    const pointers: EventData[] = [];
    const markers: AppendStreamRequest[] = [];
    const eventIds = new Set<string>();
    const versions: { streamId: string; version: number }[] = [];
    const recordedAt = new Date().toISOString();
    let next = head;
    for (const stream of streams) {
      const { streamId, expectedVersion } = stream;
      if (expectedVersion !== 'any' && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= NO_STREAM)) {
        throw new TypeError(`Stream ${streamId}: expected version must be 'any', ${NO_STREAM} or a version, not ${String(expectedVersion)}`);
      }
      let entry = staged.get(streamId);
      if (!entry) {
        const version = expectedVersion === 'any' ? await this.readVersion(streamId) : expectedVersion;
        entry = { expected: expectedVersion, sentVersion: version, version, events: [] };
        staged.set(streamId, entry);
      } else if (expectedVersion !== 'any' && expectedVersion !== entry.version) {
        // The same stream again in one append: checked against what this append puts before it.
        throw new WrongExpectedVersionError(streamId, expectedVersion, entry.version);
      }
      for (const event of stream.events) {
        if (eventIds.has(event.eventId)) throw new EventIdConflictError(event.eventId);
        eventIds.add(event.eventId);
        entry.version += 1;
        next += 1;
        // A record id of its own (the client makes a random one): with the Haitang id as record id, an exact re-append
        // looks idempotent to the server for the stream but not for its fresh markers, and KurrentDB 25.1–26.0.2
        // answers that mix with an error that names no stream. The Haitang id travels as a property.
        entry.events.push(jsonEvent({
          type: event.type,
          data: jsonData(event.data, event.eventId) as JSONType,
          metadata: encodeProperties(event.metadata, next, event.eventId, recordedAt),
        }));
        pointers.push(jsonEvent({ type: KURRENTDB_EVENT_TYPES.pointer, data: { stream: streamId, version: entry.version } }));
        const marker: StoredMarker = { stream: streamId, version: entry.version, position: next };
        markers.push({
          streamName: this.names.event(event.eventId),
          expectedState: KURRENT_NO_STREAM,
          events: [jsonEvent({ type: KURRENTDB_EVENT_TYPES.marker, data: { ...marker } })],
        });
      }
      versions.push({ streamId, version: entry.version });
    }

    // The server refuses a stream twice in one append session, comparing names without case, and its
    // refusal reads like a timeout to the client: refused here, in words.
    assertDistinctIgnoringCase([...staged.keys()].map((id) => this.names.stream(id)), 'streams');
    assertDistinctIgnoringCase([...eventIds].map((id) => this.names.event(id)), 'event ids');

    const requests: AppendStreamRequest[] = [];
    const expectations = new Map<string, ExpectedVersion>();
    for (const [streamId, entry] of staged) {
      if (entry.events.length > 0) {
        requests.push({ streamName: this.names.stream(streamId), expectedState: revisionState(entry.sentVersion), events: entry.events });
        expectations.set(streamId, entry.expected);
      } else if (entry.expected !== 'any') {
        // Nothing to write to it, only a version to check: a multi-stream append cannot check a stream it does not
        // write (appendRecords' consistency checks, KurrentDB 26.1, could), so it is checked by reading, just before.
        const actual = await this.readVersion(streamId);
        if (actual !== entry.expected) throw new WrongExpectedVersionError(streamId, entry.expected, actual);
      }
    }
    const count = next - head;
    if (count > 0) {
      requests.push({ streamName: this.names.log, expectedState: revisionState(head - 1), events: pointers });
      requests.push(...markers);
    }
    const position = count > 0 ? next : 0;
    if (receipt) {
      requests.push({
        streamName: this.names.receipt(receipt.commandId),
        expectedState: KURRENT_NO_STREAM,
        events: [jsonEvent({ type: KURRENTDB_EVENT_TYPES.receipt, data: { fingerprint: receipt.fingerprint, result: receipt.result, position } as JSONType })],
      });
    }
    return { requests, result: { position, streams: versions }, head: next, expectations };
  }

  /** Why the server refused an append (a stream was not at the revision sent): see the class comment. */
  private async refused(
    error: KurrentWrongExpectedVersionError, streams: readonly StreamAppend[], receipt: AppendOptions['receipt'], plan: AppendPlan,
  ): Promise<AppendResult | typeof RETRY> {
    const named = typeof error.streamName === 'string' ? this.names.parse(error.streamName) : undefined;
    if (named?.kind === 'log') return RETRY;
    if (receipt) {
      const stored = await this.getReceipt(receipt.commandId);
      if (stored) throw new DuplicateCommandError(stored);
    }
    const retried = await this.retriedAppend(streams);
    if (retried) return retried;
    if (named?.kind === 'stream') {
      const expected = plan.expectations.get(named.streamId);
      // 'any' was sent as the version read just before: the stream moved since, read it again.
      if (expected === undefined || expected === 'any') return RETRY;
      throw new WrongExpectedVersionError(named.streamId, expected, versionOf(error.actualState));
    }
    // A marker or the receipt was named, yet none is stored: nothing explains the refusal, so try again (bounded).
    return RETRY;
  }

  /**
   * When the append's event ids are stored already: the original result if
   * all of them are, in the same streams and order (a retry); null if none is;
   * EventIdConflictError otherwise (as planGroup decides it for PostgreSQL).
   */
  private async retriedAppend(streams: readonly StreamAppend[]): Promise<AppendResult | null> {
    const ids = streams.flatMap((s) => s.events.map((e) => e.eventId));
    if (ids.length === 0) return null;
    const found = await mapLimited(ids, READ_PARALLELISM, (id) => this.readMarker(id));
    const known = new Map<string, StoredMarker>();
    ids.forEach((id, i) => {
      const marker = found[i];
      if (marker) known.set(id, marker);
    });
    if (known.size === 0) return null;
    if (!known.has(ids[0])) throw new EventIdConflictError(ids.find((id) => known.has(id))!);
    let position = 0;
    const versions: { streamId: string; version: number }[] = [];
    for (const stream of streams) {
      let version = NO_STREAM;
      let previous: number | null = null;
      for (const event of stream.events) {
        const marker = known.get(event.eventId);
        if (!marker || marker.stream !== stream.streamId || (previous !== null && marker.version !== previous + 1)) {
          throw new EventIdConflictError(event.eventId);
        }
        previous = version = marker.version;
        position = Math.max(position, marker.position);
      }
      versions.push({ streamId: stream.streamId, version });
    }
    return { position, streams: versions };
  }

  async readStream(streamId: string, fromVersion = 0, limit?: number): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(fromVersion)) throw new TypeError(`readStream: ${fromVersion} is not a version`);
    if (limit !== undefined && !(limit > 0)) return [];
    const options: ReadStreamOptions = { fromRevision: BigInt(Math.max(0, fromVersion)) };
    if (limit !== undefined) options.maxCount = Math.floor(limit);
    const name = this.names.stream(streamId);
    return (await this.readEvents(name, options)).map((event) => toRecorded(streamId, name, event));
  }

  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    if (!Number.isSafeInteger(after)) throw new TypeError(`readAll: ${after} is not a position`);
    if (!(limit > 0)) return [];
    const start = Math.max(0, after);
    const logged = await this.readEvents(this.names.log, { fromRevision: BigInt(start), maxCount: Math.floor(limit) });
    const pointers = logged.map((event, i) => {
      if (Number(event.revision) !== start + i) {
        throw new Error(`KurrentDB stream ${this.names.log} has a gap: revision ${event.revision} where ${start + i} was expected`);
      }
      return decodePointer(event, `${this.names.log}@${event.revision}`);
    });
    const page = new Array<RecordedEvent>(pointers.length);
    await mapLimited(pointerRuns(pointers), READ_PARALLELISM, async (run) => {
      const events = await this.readRun(run);
      run.slots.forEach((slot, i) => {
        const event = events[i];
        const position = start + slot + 1;
        if (event.position !== position) {
          throw new Error(`KurrentDB log position ${position} points to ${run.stream}@${event.streamVersion}, which says position ${event.position}`);
        }
        page[slot] = event;
      });
    });
    return page;
  }

  /**
   * The events of one run of pointers. The pointers and the events were
   * committed together; should the server ever show the log's part of a
   * commit before the rest, the read is tried again a few times.
   */
  private async readRun(run: PointerRun): Promise<RecordedEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const events = await this.readStream(run.stream, run.fromVersion, run.slots.length);
      if (events.length === run.slots.length && events.every((e, i) => e.streamVersion === run.fromVersion + i)) return events;
      if (attempt >= 5) {
        throw new Error(
          `KurrentDB log points to ${run.slots.length} events of stream ${run.stream} from version ${run.fromVersion}, but ${events.length} were found`,
        );
      }
      await sleep(10 * attempt);
    }
  }

  async headPosition(): Promise<number> {
    return this.readHead();
  }

  follow(after: number, options: FollowOptions = {}): AsyncIterable<RecordedEvent[]> {
    return followLog(this, after, options, (ms, signal) => this.appended.wait(ms, signal));
  }

  async getReceipt(commandId: string): Promise<CommandReceipt | undefined> {
    const name = this.names.receipt(commandId);
    const [event] = await this.readEvents(name, { maxCount: 1 });
    if (!event) return undefined;
    const where = `${name}@${event.revision}`;
    const data = asObject(decodeData(event.data, event.isJson, where), where, 'data');
    const { fingerprint, result, position } = data;
    if (typeof fingerprint !== 'string' || typeof position !== 'number' || typeof result !== 'object' || result === null || Array.isArray(result)) {
      throw new Error(`KurrentDB event ${where} is not a Haitang command receipt`);
    }
    return { commandId, fingerprint, result: result as Record<string, unknown>, position };
  }

  /** A new client for the same connection string (it finds the cluster's leader again); the old one is let go. */
  private reconnect(): void {
    const old = this.client;
    this.client = kurrentClient().KurrentDBClient.connectionString(this.url);
    void release(old);
  }

  /** Waits for the appends under way, then lets the client go. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    this.disposed = true;
    this.appended.notify();
    await release(this.client);
  }

  /** The log's length: its last revision + 1, 0 while it does not exist. */
  private async readHead(): Promise<number> {
    const [last] = await this.readEvents(this.names.log, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last ? Number(last.revision) + 1 : 0;
  }

  /** A Haitang stream's version: its last revision, -1 while it does not exist. */
  private async readVersion(streamId: string): Promise<number> {
    const [last] = await this.readEvents(this.names.stream(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last ? Number(last.revision) : NO_STREAM;
  }

  private async readMarker(eventId: string): Promise<StoredMarker | undefined> {
    const name = this.names.event(eventId);
    const [event] = await this.readEvents(name, { maxCount: 1 });
    if (!event) return undefined;
    const where = `${name}@${event.revision}`;
    const { stream, version, position } = asObject(decodeData(event.data, event.isJson, where), where, 'data');
    if (typeof stream !== 'string' || !Number.isSafeInteger(version) || !Number.isSafeInteger(position)) {
      throw new Error(`KurrentDB event ${where} is not a Haitang event-id marker`);
    }
    return { stream, version: version as number, position: position as number };
  }

  /** A stream's events as the client reads them; [] for a stream that does not exist. Connection failures answer 503. */
  private async readEvents(streamName: string, options: ReadStreamOptions): Promise<StoredEvent[]> {
    if (this.disposed) throw new StoreUnavailableError('The event store is closed.');
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, options)) {
        if (resolved.event) events.push(resolved.event as unknown as StoredEvent);
      }
    } catch (error) {
      if (errorType(error) === 'stream-not-found') return [];
      if (isConnectionFailure(error)) throw new StoreUnavailableError('KurrentDB cannot be reached right now.', error);
      throw error;
    }
    return events;
  }
}

function toRecorded(streamId: string, streamName: string, event: StoredEvent): RecordedEvent {
  const where = `${streamName}@${event.revision}`;
  const properties = decodeProperties(event.metadata, where);
  const { metadata, position, eventId } = properties;
  return {
    position,
    streamId,
    streamVersion: Number(event.revision),
    eventId: eventId ?? event.id,
    type: event.type,
    data: decodeData(event.data, event.isJson, where),
    metadata,
    recordedAt: properties.recordedAt ?? isoOf(event.created, where),
  };
}

function decodePointer(event: StoredEvent, where: string): LogPointer {
  const { stream, version } = asObject(decodeData(event.data, event.isJson, where), where, 'data');
  if (typeof stream !== 'string' || !Number.isSafeInteger(version) || (version as number) < 0) {
    throw new Error(`KurrentDB event ${where} is not a Haitang log pointer`);
  }
  return { stream, version: version as number };
}

/** The server's commit time of an event (the client gives a Date; a number of ms is taken too). */
function isoOf(created: unknown, where: string): string {
  const date = created instanceof Date ? created : typeof created === 'number' ? new Date(created) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`KurrentDB event ${where} has no valid creation time`);
  return date.toISOString();
}

function isRevisionConflict(error: unknown): error is KurrentWrongExpectedVersionError {
  return errorType(error) === 'wrong-expected-version';
}

/** The expected state to send for a stream at `version` (-1: it must not exist). */
function revisionState(version: number): AppendStreamState {
  return version === NO_STREAM ? KURRENT_NO_STREAM : BigInt(version);
}

/** The port's version of the client's current stream state: its revision, -1 for "no stream". */
function versionOf(state: unknown): number {
  return typeof state === 'bigint' || typeof state === 'number' ? Number(state) : NO_STREAM;
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const raw = (error as { _raw?: { message?: unknown } })._raw?.message;
  return typeof raw === 'string' && raw && raw !== error.message ? `${error.message} (${raw})` : error.message || error.name;
}

/**
 * Lets a client go: its streams cancelled (`dispose`) and its gRPC channel
 * closed, which `dispose` leaves open (a connection per client otherwise stays
 * until the process ends). The channel is asked for with a time limit: a
 * client that never connected would make one to hand over.
 */
async function release(client: KurrentDBClient): Promise<void> {
  await client.dispose().catch(() => undefined);
  const getChannel = (client as unknown as { getChannel?: () => Promise<{ close(): void }> }).getChannel;
  if (typeof getChannel !== 'function') return;
  let timer: NodeJS.Timeout | undefined;
  const channel = await Promise.race([
    getChannel().catch(() => undefined),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), 1000);
    }),
  ]);
  clearTimeout(timer);
  try {
    channel?.close();
  } catch {
    // already closed
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
