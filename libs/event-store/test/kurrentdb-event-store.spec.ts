import fc from 'fast-check';
import { KurrentDbEventStore } from '../src';
import { decodeData, decodeProperties, encodeProperties, jsonData } from '../src/kurrentdb/event-codec';
import { type LogPointer, mapLimited, pointerRuns } from '../src/kurrentdb/pointer-runs';
import { assertDistinctIgnoringCase, StreamNames } from '../src/kurrentdb/stream-names';
import { isConnectionFailure, reachedFollower } from '../src/kurrentdb/connection-failure';
import { describeKurrentDb, freshNamespace, kurrentDbUrl } from '../../../test/support/kurrentdb';
import { freePort } from '../../../test/support/haitang-process';
import { eventStoreContract, type EventStoreFixture } from './event-store.contract';

/** The same contract suite as SQLite and PostgreSQL, unchanged, against the server at KURRENTDB_URL: a fresh namespace per test. */
async function kurrentDbFixture(): Promise<EventStoreFixture> {
  const url = kurrentDbUrl!;
  const namespace = freshNamespace();
  let store = await KurrentDbEventStore.open({ url, namespace });
  return {
    store,
    async reopen() {
      await store.close();
      store = await KurrentDbEventStore.open({ url, namespace });
      return store;
    },
    async cleanup() {
      await store.close();
    },
  };
}

describeKurrentDb('KurrentDB event store', () => {
  eventStoreContract('KurrentDB', kurrentDbFixture);
});

// The pure parts, which need no server.

const AWKWARD_IDS = ['', 'a', 'log', '-', '--', 'stream-x', 'event-1', 'receipt-', 'haitang-log', '$all', '$$meta', 'a-b-c', '海棠-桃花坞', 'x\ny\tz', ' ', 'a/b?c#d'];

describe('KurrentDB stream names', () => {
  const names = new StreamNames('haitang');

  it('round-trips every kind of name, whatever the Haitang id holds', () => {
    for (const id of AWKWARD_IDS) {
      expect(names.parse(names.stream(id))).toEqual({ kind: 'stream', streamId: id });
      expect(names.parse(names.event(id))).toEqual({ kind: 'event', eventId: id });
      expect(names.parse(names.receipt(id))).toEqual({ kind: 'receipt', commandId: id });
    }
    expect(names.parse(names.log)).toEqual({ kind: 'log' });
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (id) => {
      expect(names.parse(names.stream(id))).toEqual({ kind: 'stream', streamId: id });
      expect(names.parse(names.event(id))).toEqual({ kind: 'event', eventId: id });
    }));
  });

  it('never gives two things one name, within a namespace or across two, and never a $ name', () => {
    const all = [names.log, ...AWKWARD_IDS.flatMap((id) => [names.stream(id), names.event(id), names.receipt(id)])];
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(name.startsWith('$')).toBe(false);

    const namespace = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/);
    fc.assert(fc.property(namespace, namespace, fc.string(), (a, b, id) => {
      fc.pre(a !== b);
      const mine = new StreamNames(a);
      const theirs = new StreamNames(b);
      for (const name of [theirs.log, theirs.stream(id), theirs.event(id), theirs.receipt(id)]) expect(mine.parse(name)).toBeUndefined();
    }));
  });

  it('refuses a namespace that could run into another one or into system streams', () => {
    for (const bad of ['', 'a-b', '$all', 'haitang stream', 'x'.repeat(101), '海棠']) {
      expect(() => new StreamNames(bad)).toThrow(/namespace/);
    }
    expect(names.parse('haitang-other-x')).toBeUndefined();
    expect(names.parse('other-stream-x')).toBeUndefined();
    expect(names.parse('haitang-logs')).toBeUndefined();
  });
});

describe('KurrentDB appends: what the server would refuse or answer oddly', () => {
  it('refuses names in one append that differ only in case (the server takes them for one)', () => {
    expect(() => assertDistinctIgnoringCase(['haitang-stream-a', 'haitang-stream-b', 'haitang-stream-a'], 'streams')).not.toThrow();
    expect(() => assertDistinctIgnoringCase(['haitang-event-X1', 'haitang-event-x1'], 'event ids'))
      .toThrow('KurrentDB cannot take haitang-event-X1 and haitang-event-x1 in one append: event ids that differ only in case.');
  });

  it('takes a write refused by a follower, and not a timeout of the client, for the server being unavailable', () => {
    const clientError = (type: string, raw?: object) => Object.assign(new Error(type), { type, _raw: raw });
    expect(reachedFollower(clientError('unknown', { code: 9, details: 'kurrent.rpc.NotLeaderNodeErrorDetails' }))).toBe(true);
    expect(isConnectionFailure(clientError('unknown', { code: 9, details: 'kurrent.rpc.NotLeaderNodeErrorDetails' }))).toBe(true);
    expect(reachedFollower(clientError('unknown', { code: 9, details: 'something else' }))).toBe(false);
    expect(reachedFollower(clientError('unavailable', { code: 14, details: 'NotLeaderNode' }))).toBe(false);
    expect(isConnectionFailure(clientError('unavailable'))).toBe(true);
    expect(isConnectionFailure(clientError('timeout'))).toBe(false);
    expect(isConnectionFailure(Object.assign(new Error('raw'), { code: 14 }))).toBe(true);
  });
});

describe('KurrentDB event properties', () => {
  const metadata = { actor: { id: 'staff-1', role: 'staff', orgUnitId: null }, commandId: 'c-1', nested: { list: [1, 'two', null, { deep: true }] }, text: '清理楼道 "q" \\ \n' };

  it('carry nested metadata, the position and the event id as flat strings, and give them back in every form the client may hand over', () => {
    const properties = encodeProperties(metadata, 42, 'e-1', '2026-11-26T08:00:00.123Z');
    for (const value of Object.values(properties)) expect(typeof value).toBe('string');
    const expected = { metadata, position: 42, eventId: 'e-1', recordedAt: '2026-11-26T08:00:00.123Z' };
    // What the server returns: the properties plus keys of its own, parsed by the client, or left as bytes or text.
    const stored = { ...properties, '$schema.format': 'Json', '$schema.name': 'Tested.v1' };
    expect(decodeProperties(stored, 'x@0')).toEqual(expected);
    expect(decodeProperties(Buffer.from(JSON.stringify(stored)), 'x@0')).toEqual(expected);
    expect(decodeProperties(new Uint8Array(Buffer.from(JSON.stringify(stored))), 'x@0')).toEqual(expected);
    expect(decodeProperties(JSON.stringify(stored), 'x@0')).toEqual(expected);
    expect(decodeProperties(encodeProperties({}, 1, 'e', '2026-11-26T08:00:00.123Z'), 'x@0')).toEqual({ metadata: {}, position: 1, eventId: 'e', recordedAt: '2026-11-26T08:00:00.123Z' });
    // Written before the append time was kept: the server's own time is used.
    const { 'haitang-recorded-at': _, ...older } = properties;
    expect(decodeProperties(older, 'x@0').recordedAt).toBeUndefined();
  });

  it('refuse what Haitang did not write, saying which event and why', () => {
    const good = encodeProperties(metadata, 7, 'e-7', '2026-11-26T08:00:00.123Z');
    const cases: [unknown, RegExp][] = [
      [undefined, /x@3: its metadata is missing/],
      [new Uint8Array(), /x@3: its metadata is not JSON/],
      [Buffer.from('{"haitang-metadata":'), /x@3: its metadata is not JSON/],
      ['[1,2]', /x@3: its metadata is not a JSON object/],
      [{ '$schema.format': 'Json' }, /x@3 was not written by Haitang/],
      [{ ...good, 'haitang-position': '0' }, /x@3: haitang-position is "0", not a position/],
      [{ ...good, 'haitang-position': '1.5' }, /not a position/],
      [{ ...good, 'haitang-position': '99999999999999999999' }, /not a position/],
      [{ ...good, 'haitang-metadata': '{' }, /x@3: haitang-metadata is not JSON/],
      [{ ...good, 'haitang-metadata': '[]' }, /x@3: haitang-metadata is not a JSON object/],
      [{ ...good, 'haitang-metadata': 'null' }, /not a JSON object/],
      [{ ...good, 'haitang-event-id': 5 }, /haitang-event-id is not a string/],
      [{ ...good, 'haitang-recorded-at': 'yesterday' }, /x@3: haitang-recorded-at is not a time/],
    ];
    for (const [raw, message] of cases) expect(() => decodeProperties(raw, 'x@3')).toThrow(message);
    expect(() => encodeProperties([] as unknown as Record<string, unknown>, 1, 'e', '2026-11-26T08:00:00.123Z')).toThrow(/metadata must be an object/);
    expect(() => encodeProperties({}, 0, 'e', '2026-11-26T08:00:00.123Z')).toThrow(/not a position/);
  });

  it('read data parsed already or as JSON bytes, and refuse bytes that are not JSON', () => {
    expect(decodeData({ a: [1] }, true, 'x@0')).toEqual({ a: [1] });
    expect(decodeData('just a string', true, 'x@0')).toBe('just a string');
    expect(decodeData(Buffer.from('{"a":[1],"t":"海棠"}'), false, 'x@0')).toEqual({ a: [1], t: '海棠' });
    expect(() => decodeData(Buffer.from('not json'), false, 'x@0')).toThrow(/x@0: its data is not JSON \(stored as bytes\)/);
  });

  it('refuse, before sending, data that cannot be written as JSON', () => {
    expect(jsonData({ a: [1, '海棠'] }, 'e1')).toEqual({ a: [1, '海棠'] });
    expect(jsonData(undefined, 'e1')).toBeNull();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => jsonData(cycle, 'e2')).toThrow(/Event e2: its data cannot be written as JSON/);
    expect(() => jsonData({ n: BigInt(1) }, 'e3')).toThrow(/Event e3: its data cannot be written as JSON/);
    expect(() => jsonData(() => 1, 'e4')).toThrow(/Event e4: its data cannot be written as JSON/);
  });
});

describe('KurrentDB log pointer runs', () => {
  const p = (stream: string, version: number): LogPointer => ({ stream, version });

  it('groups interleaved streams into one run each, in the order of their first pointer', () => {
    expect(pointerRuns([p('a', 0), p('b', 4), p('a', 1), p('b', 5), p('a', 2), p('c', 0)])).toEqual([
      { stream: 'a', fromVersion: 0, slots: [0, 2, 4] },
      { stream: 'b', fromVersion: 4, slots: [1, 3] },
      { stream: 'c', fromVersion: 0, slots: [5] },
    ]);
    expect(pointerRuns([])).toEqual([]);
  });

  it('starts a new run wherever a version does not follow the previous one of its stream', () => {
    expect(pointerRuns([p('a', 0), p('a', 2), p('b', 0), p('a', 3), p('a', 1)])).toEqual([
      { stream: 'a', fromVersion: 0, slots: [0] },
      { stream: 'a', fromVersion: 2, slots: [1, 3] },
      { stream: 'b', fromVersion: 0, slots: [2] },
      { stream: 'a', fromVersion: 1, slots: [4] },
    ]);
  });

  it('covers every pointer of any page of any log exactly once, each run being consecutive versions of one stream', () => {
    // A log: appends to random streams in commit order; a page: any window of it.
    const log = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }).map((streams) => {
      const versions = new Map<number, number>();
      return streams.map((s) => {
        const version = (versions.get(s) ?? -1) + 1;
        versions.set(s, version);
        return p(`s-${s}`, version);
      });
    });
    fc.assert(fc.property(log, fc.nat(), fc.nat(), (pointers, a, b) => {
      const from = pointers.length === 0 ? 0 : a % pointers.length;
      const page = pointers.slice(from, from + b);
      const runs = pointerRuns(page);
      const covered = runs.flatMap((r) => r.slots).sort((x, y) => x - y);
      expect(covered).toEqual(page.map((_, i) => i));
      for (const run of runs) run.slots.forEach((slot, i) => expect(page[slot]).toEqual(p(run.stream, run.fromVersion + i)));
      // In a window of a real log, each stream's versions are consecutive: one run per stream.
      expect(runs.length).toBe(new Set(page.map((x) => x.stream)).size);
    }));
  });

  it('reads with bounded parallelism, answers in order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimited(Array.from({ length: 40 }, (_, i) => i), 16, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
      inFlight--;
      return n * 2;
    });
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(most).toBe(16);
    expect(await mapLimited([], 16, async () => 1)).toEqual([]);
  });
});

describe('KurrentDB event store: opening', () => {
  it('says plainly when nothing answers at the URL, without the password', async () => {
    const port = await freePort();
    const opening = KurrentDbEventStore.open({ url: `kurrentdb://admin:s3cret@127.0.0.1:${port}?tls=false`, namespace: freshNamespace() });
    await expect(opening).rejects.toThrow(new RegExp(`^KurrentDB at kurrentdb://127\\.0\\.0\\.1:${port}\\?tls=false cannot be reached: `));
    await expect(opening).rejects.toThrow(/no server answered .*check the host and port/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it('refuses a namespace that is not one, and a URL that is not a connection string, before connecting', async () => {
    await expect(KurrentDbEventStore.open({ url: 'kurrentdb://127.0.0.1:1?tls=false', namespace: 'a-b' })).rejects.toThrow(/namespace/);
    await expect(KurrentDbEventStore.open({ url: 'postgres://localhost/haitang' })).rejects.toThrow(/^KurrentDB connection string postgres:\/\/localhost\/haitang is not valid/);
  });
});
