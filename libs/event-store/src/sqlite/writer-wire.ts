import type { AppendOptions, AppendResult, ExpectedVersion, StreamAppend } from '../event-store.port';
import type { AppendOutcome, SerializedAppend } from './sqlite-writer';

/**
 * How appends and their outcomes cross to the writer thread and back: flat
 * arrays of strings and numbers. Cloning a message costs the sending thread
 * time for every object in it; a flat array of the same strings clones in a
 * fraction of the time of the nested objects it stands for (the HTTP thread
 * sends every append, and receives every outcome).
 *
 *   append:  receipt? (0 | 1, commandId, fingerprint, result JSON), stream count,
 *            per stream: id, expected version, event count, per event: id, type, data JSON, metadata JSON
 *   outcome: 0, position, stream count, per stream: id, version   |   1, error
 */
export type Wire = (string | number | object)[];

/** Appends one append's fields to `out`, serializing the events' data and metadata (the writer stores the JSON). */
export function packAppend(out: Wire, streams: readonly StreamAppend[], options: AppendOptions): void {
  const { receipt } = options;
  if (receipt) out.push(1, receipt.commandId, receipt.fingerprint, JSON.stringify(receipt.result));
  else out.push(0);
  out.push(streams.length);
  for (const stream of streams) {
    out.push(stream.streamId, stream.expectedVersion, stream.events.length);
    for (const e of stream.events) out.push(e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
  }
}

export function unpackAppends(wire: Wire): SerializedAppend[] {
  const appends: SerializedAppend[] = [];
  let i = 0;
  const next = () => wire[i++];
  while (i < wire.length) {
    const receipt = next() === 1 ? { commandId: next() as string, fingerprint: next() as string, result: next() as string } : undefined;
    const streamCount = next() as number;
    const streams: SerializedAppend['streams'] = [];
    for (let s = 0; s < streamCount; s++) {
      const streamId = next() as string;
      const expectedVersion = next() as ExpectedVersion;
      const eventCount = next() as number;
      const events = [];
      for (let e = 0; e < eventCount; e++) events.push({ eventId: next() as string, type: next() as string, data: next() as string, metadata: next() as string });
      streams.push({ streamId, expectedVersion, events });
    }
    appends.push(receipt ? { streams, receipt } : { streams });
  }
  return appends;
}

export function packOutcomes(outcomes: readonly AppendOutcome[]): Wire {
  const wire: Wire = [];
  for (const outcome of outcomes) {
    if ('ok' in outcome) {
      wire.push(0, outcome.ok.position, outcome.ok.streams.length);
      for (const s of outcome.ok.streams) wire.push(s.streamId, s.version);
    } else {
      wire.push(1, outcome.error);
    }
  }
  return wire;
}

export function unpackOutcomes(wire: Wire): AppendOutcome[] {
  const outcomes: AppendOutcome[] = [];
  let i = 0;
  while (i < wire.length) {
    if (wire[i++] === 1) {
      outcomes.push({ error: wire[i++] as Extract<AppendOutcome, { error: unknown }>['error'] });
      continue;
    }
    const position = wire[i++] as number;
    const count = wire[i++] as number;
    const streams: AppendResult['streams'][number][] = [];
    for (let s = 0; s < count; s++) streams.push({ streamId: wire[i++] as string, version: wire[i++] as number });
    outcomes.push({ ok: { position, streams } });
  }
  return outcomes;
}
