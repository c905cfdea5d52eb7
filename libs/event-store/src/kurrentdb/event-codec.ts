/**
 * What a Haitang event carries in KurrentDB besides its type and data.
 *
 * KurrentDB's multi-stream append (client `multiStreamAppend`, protocol v2)
 * takes an event's metadata as "properties": a flat map of string to string
 * (the client refuses anything else). Haitang's metadata is nested JSON, so it
 * travels as ONE property holding its JSON text, next to the event's global
 * position (known before writing, see KurrentDbEventStore) and its Haitang
 * event id. On read the server hands the properties back as the event's
 * custom metadata, a JSON object that also holds keys of its own
 * (`$schema.format`, `$schema.name`); the client parses that JSON into an
 * object, or leaves the bytes as they are when it cannot. Decoding accepts an
 * object, bytes or JSON text, keeps only Haitang's keys, and refuses anything
 * else with an error that says which event and why.
 */
export const METADATA_PROPERTY = 'haitang-metadata';
export const POSITION_PROPERTY = 'haitang-position';
export const EVENT_ID_PROPERTY = 'haitang-event-id';
/** When the append was sent, to the millisecond: the server's own creation time reaches readers rounded down to the second. */
export const RECORDED_AT_PROPERTY = 'haitang-recorded-at';

export interface DecodedProperties {
  readonly metadata: Record<string, unknown>;
  readonly position: number;
  /** The Haitang event id, when it was stored (always, by this adapter). */
  readonly eventId: string | undefined;
  /** When it was appended (ISO-8601), when stored. */
  readonly recordedAt: string | undefined;
}

export function encodeProperties(metadata: Record<string, unknown>, position: number, eventId: string, recordedAt: string): Record<string, string> {
  if (!isPlainObject(metadata)) throw new TypeError(`Event ${eventId}: metadata must be an object`);
  if (!Number.isSafeInteger(position) || position < 1) throw new RangeError(`Event ${eventId}: ${position} is not a position`);
  return { [METADATA_PROPERTY]: JSON.stringify(metadata), [POSITION_PROPERTY]: String(position), [EVENT_ID_PROPERTY]: eventId, [RECORDED_AT_PROPERTY]: recordedAt };
}

/**
 * An event's data as JSON text, refused before anything is sent when it has
 * none (undefined, a function) or cannot have one (a BigInt, a cycle): the
 * client would fail on it only after opening its call to the server.
 */
export function jsonData(data: unknown, eventId: string): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(data ?? null);
  } catch (error) {
    throw new TypeError(`Event ${eventId}: its data cannot be written as JSON (${(error as Error).message})`);
  }
  if (text === undefined) throw new TypeError(`Event ${eventId}: its data cannot be written as JSON`);
  return data ?? null;
}

/** `where` names the event in errors (e.g. "haitang-stream-a@3"). */
export function decodeProperties(raw: unknown, where: string): DecodedProperties {
  const properties = asObject(raw, where, 'metadata');
  const metadataText = properties[METADATA_PROPERTY];
  const positionText = properties[POSITION_PROPERTY];
  const eventId = properties[EVENT_ID_PROPERTY];
  const recordedAt = properties[RECORDED_AT_PROPERTY];
  if (typeof metadataText !== 'string' || typeof positionText !== 'string') {
    throw new Error(`KurrentDB event ${where} was not written by Haitang: its metadata lacks ${METADATA_PROPERTY} or ${POSITION_PROPERTY}`);
  }
  if (!/^[1-9][0-9]*$/.test(positionText) || !Number.isSafeInteger(Number(positionText))) {
    throw new Error(`KurrentDB event ${where}: ${POSITION_PROPERTY} is ${JSON.stringify(positionText)}, not a position`);
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(metadataText);
  } catch {
    throw new Error(`KurrentDB event ${where}: ${METADATA_PROPERTY} is not JSON`);
  }
  if (!isPlainObject(metadata)) throw new Error(`KurrentDB event ${where}: ${METADATA_PROPERTY} is not a JSON object`);
  if (eventId !== undefined && typeof eventId !== 'string') throw new Error(`KurrentDB event ${where}: ${EVENT_ID_PROPERTY} is not a string`);
  if (recordedAt !== undefined && (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt)))) {
    throw new Error(`KurrentDB event ${where}: ${RECORDED_AT_PROPERTY} is not a time`);
  }
  return { metadata, position: Number(positionText), eventId, recordedAt };
}

/**
 * An event's JSON data as the client hands it over: already parsed when the
 * server marked it as JSON, bytes otherwise (parsed here).
 */
export function decodeData(data: unknown, isJson: boolean, where: string): unknown {
  if (!(data instanceof Uint8Array)) return data;
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`KurrentDB event ${where}: its data is not JSON${isJson ? '' : ' (stored as bytes)'}`);
  }
}

/** A JSON object from the client: parsed already, or as bytes or text. */
export function asObject(raw: unknown, where: string, what: string): Record<string, unknown> {
  let value = raw;
  if (value instanceof Uint8Array) value = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Error(`KurrentDB event ${where}: its ${what} is not JSON`);
    }
  }
  if (!isPlainObject(value)) throw new Error(`KurrentDB event ${where}: its ${what} is ${value === undefined ? 'missing' : 'not a JSON object'}`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
