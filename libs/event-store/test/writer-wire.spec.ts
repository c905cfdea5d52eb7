import fc from 'fast-check';
import type { AppendOptions, StreamAppend } from '../src';
import { packAppend, packOutcomes, unpackAppends, unpackOutcomes, type Wire } from '../src/sqlite/writer-wire';
import { type AppendOutcome, deserializeError, type SerializedAppend, serializeError } from '../src/sqlite/sqlite-writer';
import { StoreUnavailableError } from '../src';

/** What the writer thread must receive for an append: the same fields, data and metadata as JSON. */
function expected(streams: readonly StreamAppend[], options: AppendOptions): SerializedAppend {
  const serialized: SerializedAppend = {
    streams: streams.map((s) => ({
      streamId: s.streamId,
      expectedVersion: s.expectedVersion,
      events: s.events.map((e) => ({ eventId: e.eventId, type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata) })),
    })),
  };
  return options.receipt ? { ...serialized, receipt: { ...options.receipt, result: JSON.stringify(options.receipt.result) } } : serialized;
}

const json = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 });
const streamAppend = fc.record({
  streamId: fc.string({ minLength: 1, maxLength: 40 }),
  expectedVersion: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.constant('any' as const)),
  events: fc.array(fc.record({ eventId: fc.uuid(), type: fc.string({ minLength: 1 }), data: json, metadata: json }), { maxLength: 4 }),
});
const append = fc.record({
  streams: fc.array(streamAppend, { maxLength: 3 }),
  options: fc.oneof(
    fc.constant({} as AppendOptions),
    fc.record({ receipt: fc.record({ commandId: fc.string({ minLength: 1 }), fingerprint: fc.string(), result: json }) }),
  ),
});

describe('writer wire: appends and outcomes crossing to the SQLite writer thread as flat arrays', () => {
  it('a group of appends arrives exactly as sent (any streams, versions, events, with or without receipts)', () => {
    fc.assert(fc.property(fc.array(append, { maxLength: 6 }), (group) => {
      const wire: Wire = [];
      for (const a of group) packAppend(wire, a.streams, a.options);
      // Through a real structured clone, as postMessage does.
      expect(unpackAppends(structuredClone(wire))).toEqual(group.map((a) => expected(a.streams, a.options)));
    }));
  });

  it('outcomes come back in order, successes and refusals mixed', () => {
    const outcomes: AppendOutcome[] = [
      { ok: { position: 41, streams: [{ streamId: 'record-1', version: 0 }, { streamId: 'activity-2', version: 7 }] } },
      { error: { kind: 'wrong-version', streamId: 'activity-2', expectedVersion: 6, actualVersion: 7 } },
      { ok: { position: 42, streams: [] } },
      { error: { kind: 'unavailable', message: 'disk full', cause: 'SQLITE_FULL', outcome: 'not-recorded' } },
      { error: { kind: 'unavailable', message: 'fsync failed', cause: 'SQLITE_IOERR', outcome: 'unknown' } },
    ];
    expect(unpackOutcomes(structuredClone(packOutcomes(outcomes)))).toEqual(outcomes);
    expect(unpackOutcomes(packOutcomes([]))).toEqual([]);
  });

  it('a refusal keeps whether its change may be recorded', () => {
    for (const outcome of ['unknown', 'not-recorded'] as const) {
      const error = deserializeError(structuredClone(serializeError(new StoreUnavailableError('COMMIT failed', new Error('disk I/O error'), outcome))));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ outcome, message: 'COMMIT failed' });
    }
  });
});
