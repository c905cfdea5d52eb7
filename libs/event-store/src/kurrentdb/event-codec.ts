import { createHash } from 'node:crypto';

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

export interface DecodedProperties {
  readonly metadata: Record<string, unknown>;
  readonly position: number;
  /** The Haitang event id, when it was stored (always, by this adapter). */
  readonly eventId: string | undefined;
}

export function encodeProperties(metadata: Record<string, unknown>, position: number, eventId: string): Record<string, string> {
  if (!isPlainObject(metadata)) throw new TypeError(`Event ${eventId}: metadata must be an object`);
  if (!Number.isSafeInteger(position) || position < 1) throw new RangeError(`Event ${eventId}: ${position} is not a position`);
  return { [METADATA_PROPERTY]: JSON.stringify(metadata), [POSITION_PROPERTY]: String(position), [EVENT_ID_PROPERTY]: eventId };
}

/** `where` names the event in errors (e.g. "haitang-stream-a@3"). */
export function decodeProperties(raw: unknown, where: string): DecodedProperties {
  const properties = asObject(raw, where, 'metadata');
  const metadataText = properties[METADATA_PROPERTY];
  const positionText = properties[POSITION_PROPERTY];
  const eventId = properties[EVENT_ID_PROPERTY];
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
  return { metadata, position: Number(positionText), eventId };
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

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The KurrentDB record id of a Haitang event: KurrentDB requires a UUID, Haitang
 * ids are UUIDs (v7) but the port does not promise it. A canonical (lower-case)
 * UUID is used as it is; anything else gets a name-based UUID (RFC 4122 v5
 * layout, SHA-1 of the id), the same for the same id. The Haitang id itself
 * travels in EVENT_ID_PROPERTY, so reads never depend on this mapping.
 */
export function recordIdFor(eventId: string): string {
  if (CANONICAL_UUID.test(eventId)) return eventId;
  const hash = createHash('sha1').update('haitang-event-id\u0000').update(eventId, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
