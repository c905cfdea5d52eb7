import type { ClientBase } from 'pg';

/** Bytes sent per CopyData message. */
const CHUNK_BYTES = 1 << 16;
/** Bytes a COPY may have waiting to be sent before drained() asks its producer to wait. */
const HIGH_WATER_BYTES = 8 << 20;
/** The most UTF-8 bytes one UTF-16 code unit takes. */
const MAX_BYTES_PER_UNIT = 3;

/** What pg's Connection offers a COPY … FROM submittable. */
interface CopyInConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream?: { writableLength: number; once(event: 'drain', listener: () => void): unknown };
}

/**
 * COPY … FROM STDIN through node-postgres without another dependency: a
 * "submittable" (the interface pg's Client.query accepts for custom queries,
 * as pg-copy-streams uses it) that stays open while rows are written into it:
 * each line goes straight into a buffer, sent every 64 KB (queued until the
 * COPY is opened on a connection and the server has answered it), so the
 * server takes in the rows while they are still being produced. For the
 * event store's group commits and a rebuild's bulk load: the fastest way into
 * a table, no SQL or JSON to parse per row.
 */
export class CopyStream {
  private error: Error | null = null;
  private connection: CopyInConnection | null = null;
  private readonly queued: Buffer[] = [];
  private queuedBytes = 0;
  /** Producers waiting in drained(): each settles once its test holds (a small backlog, or a failed COPY). */
  private drainWaiters: { ready: () => boolean; resolve: () => void }[] = [];
  private listeningForDrain = false;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private ending = false;
  private readonly done: Promise<void>;
  private settle: (error: Error | null) => void = () => undefined;
  /** Rows written so far. */
  rows = 0;

  constructor(readonly table: string, readonly columns: readonly string[]) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    this.done.catch(() => undefined); // observed by end()
  }

  /** Starts the COPY on `client` (rows may be written before: they wait). The client runs nothing else until it ends. */
  open(client: ClientBase): this {
    void client.query(this as never);
    return this;
  }

  /** Writes one line (its fields already in COPY's text format, tab-separated, with its newline). */
  writeLine(line: string): void {
    // The server refused the COPY or the connection broke: stop the producer now, not at end().
    if (this.error) throw this.error;
    if (this.used + line.length * MAX_BYTES_PER_UNIT > this.buffer.length) {
      this.send();
      if (line.length * MAX_BYTES_PER_UNIT > this.buffer.length) this.buffer = Buffer.allocUnsafe(line.length * MAX_BYTES_PER_UNIT);
    }
    this.used += this.buffer.write(line, this.used);
    this.rows++;
  }

  /** Writes one row: the values of `columns`, each as copyText writes it. */
  writeRow(row: Record<string, unknown>): void {
    let line = copyText(row[this.columns[0]]);
    for (let i = 1; i < this.columns.length; i++) line += `\t${copyText(row[this.columns[i]])}`;
    this.writeLine(`${line}\n`);
  }

  /**
   * Backpressure for a producer that writes faster than the server takes rows: null while the bytes not
   * yet sent are few, else a promise that settles once they are (or once the COPY has failed: the next
   * write says so). Without it a slow server makes the rows pile up in this process's memory.
   */
  drained(highWaterBytes = HIGH_WATER_BYTES): Promise<void> | null {
    if (this.backlog() <= highWaterBytes) return null;
    return new Promise<void>((resolve) => {
      this.drainWaiters.push({ ready: () => this.error !== null || this.backlog() <= highWaterBytes / 2, resolve });
      this.wakeDrainWaiters();
    });
  }

  /** Bytes written and not yet handed to the operating system: queued here, or in the socket's buffer. */
  private backlog(): number {
    return this.queuedBytes + this.used + (this.connection?.stream?.writableLength ?? 0);
  }

  /** Settles the waiters whose test holds; for the others, listens for the socket's next 'drain' (once at a time). */
  private wakeDrainWaiters(): void {
    const waiting = [];
    for (const waiter of this.drainWaiters) {
      if (waiter.ready()) waiter.resolve();
      else waiting.push(waiter);
    }
    this.drainWaiters = waiting;
    const stream = this.connection?.stream;
    if (this.drainWaiters.length === 0 || !stream || this.listeningForDrain) return;
    this.listeningForDrain = true;
    stream.once('drain', () => {
      this.listeningForDrain = false;
      this.wakeDrainWaiters();
    });
  }

  /** Ends the COPY (once opened); resolves with the number of rows once the server has taken them all. */
  async end(): Promise<number> {
    this.send();
    this.ending = true;
    this.connection?.endCopyFrom();
    await this.done;
    return this.rows;
  }

  private send(): void {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    if (this.connection) this.connection.sendCopyFromChunk(chunk);
    else {
      this.queued.push(chunk);
      this.queuedBytes += chunk.length;
    }
  }

  // The submittable's side, called by pg's Client.

  get text(): string {
    return `COPY ${this.table} (${this.columns.join(', ')}) FROM STDIN`;
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyInConnection): void {
    this.connection = connection;
    for (const chunk of this.queued.splice(0)) connection.sendCopyFromChunk(chunk);
    this.queuedBytes = 0;
    if (this.ending) connection.endCopyFrom();
    this.wakeDrainWaiters();
  }

  // Settled at the first error (when the connection breaks, no ReadyForQuery follows); settling twice is a no-op.
  handleError(error: Error): void {
    this.error ??= error;
    this.connection = null;
    this.settle(this.error);
    this.wakeDrainWaiters();
  }

  handleReadyForQuery(): void {
    this.connection = null;
    this.settle(this.error);
    this.wakeDrainWaiters();
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: \N for null, backslash escapes for the characters that delimit. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]) : text;
}

/**
 * Writes rows (objects with at least `columns`) into `table` with one COPY on
 * `client`, opened once `after` has settled (a client runs one statement at a
 * time); the rows are formatted now. Resolves with the number written.
 */
export async function copyRows(
  client: ClientBase, table: string, columns: readonly string[], rows: Iterable<Record<string, unknown>>, after?: Promise<unknown>,
): Promise<number> {
  const copy = new CopyStream(table, columns);
  for (const row of rows) copy.writeRow(row);
  await after?.catch(() => undefined);
  return copy.open(client).end();
}
