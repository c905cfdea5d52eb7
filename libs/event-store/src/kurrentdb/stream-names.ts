/**
 * How a Haitang store is laid out in KurrentDB streams. Every stream the
 * adapter writes starts with `<namespace>-`, so one server can hold several
 * independent stores (each test takes a fresh namespace), and none starts
 * with `$` (KurrentDB's system streams):
 *
 *   <ns>-stream-<S>      the events of Haitang stream S (S may be any string)
 *   <ns>-log             one pointer per Haitang event, in commit order: position = revision + 1
 *   <ns>-event-<id>      one marker per event id: event ids are unique across streams
 *   <ns>-receipt-<id>    the receipt of command <id>
 *
 * The namespace is letters, digits and `_` only, no `-`: the first `-` after
 * it then always ends it, so no name of one namespace is a name of another
 * (with `-` allowed, namespace `a-stream-b`'s log would be namespace `a`'s
 * stream `b-log`). After `<ns>-` the kinds are told apart by a fixed word, and
 * what follows it is the Haitang id verbatim: the scheme is unambiguous
 * without escaping anything.
 */
export const DEFAULT_NAMESPACE = 'haitang';

const NAMESPACE = /^[A-Za-z0-9_]{1,100}$/;

export type ParsedStreamName =
  | { readonly kind: 'stream'; readonly streamId: string }
  | { readonly kind: 'log' }
  | { readonly kind: 'event'; readonly eventId: string }
  | { readonly kind: 'receipt'; readonly commandId: string };

export class StreamNames {
  private readonly prefix: string;
  readonly log: string;

  constructor(readonly namespace: string = DEFAULT_NAMESPACE) {
    if (!NAMESPACE.test(namespace)) {
      throw new TypeError(`A KurrentDB namespace is 1 to 100 letters, digits or _ (no -, no $), got ${JSON.stringify(namespace)}`);
    }
    this.prefix = `${namespace}-`;
    this.log = `${namespace}-log`;
  }

  stream(streamId: string): string {
    return `${this.prefix}stream-${streamId}`;
  }

  event(eventId: string): string {
    return `${this.prefix}event-${eventId}`;
  }

  receipt(commandId: string): string {
    return `${this.prefix}receipt-${commandId}`;
  }

  /** What a KurrentDB stream name of this namespace stands for; undefined for any other name. */
  parse(name: string): ParsedStreamName | undefined {
    if (name === this.log) return { kind: 'log' };
    if (!name.startsWith(this.prefix)) return undefined;
    const rest = name.slice(this.prefix.length);
    if (rest.startsWith('stream-')) return { kind: 'stream', streamId: rest.slice('stream-'.length) };
    if (rest.startsWith('event-')) return { kind: 'event', eventId: rest.slice('event-'.length) };
    if (rest.startsWith('receipt-')) return { kind: 'receipt', commandId: rest.slice('receipt-'.length) };
    return undefined;
  }
}

/** Names KurrentDB would take for one and the same (it compares them without case in one append). */
export function assertDistinctIgnoringCase(names: readonly string[], what: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const folded = name.toLowerCase();
    const other = seen.get(folded);
    if (other !== undefined && other !== name) {
      throw new Error(`KurrentDB cannot take ${other} and ${name} in one append: ${what} that differ only in case.`);
    }
    seen.set(folded, name);
  }
}
