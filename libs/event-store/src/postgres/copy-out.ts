import type { ClientBase } from 'pg';

/**
 * COPY … TO STDOUT through node-postgres without another dependency: a
 * "submittable" (the interface pg's Client.query accepts for custom queries)
 * that hands each row to `onRow` as its CopyData message arrives. A row is a
 * view into the driver's receive buffer, valid only during the call. For a
 * replay of the whole log: one statement, no pages, and no row-protocol
 * parsing of columns the reader does not want.
 *
 * Backpressure: when `onRow` returns a promise, the connection's socket is
 * paused until it settles (the rows already received in the current chunk
 * still arrive), so a consumer that writes elsewhere can wait for that side.
 */
class CopyOut {
  private error: Error | null = null;
  private settled = false;
  private socket: { pause(): void; resume(): void } | null = null;
  private waiting = 0;
  /** Settles once every promise `onRow` returned has settled: the COPY is answered only after that. */
  private pending: Promise<void> = Promise.resolve();
  rows = 0;
  callback: (error: Error | null) => void = () => undefined;

  constructor(readonly text: string, private readonly onRow: (row: Buffer) => void | Promise<void>) {}

  submit(connection: { query(text: string): void; stream?: { pause(): void; resume(): void } }): void {
    this.socket = connection.stream ?? null;
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.error) return; // the rest streams in and is dropped; the statement fails with the first error
    try {
      const wait = this.onRow(message.chunk);
      this.rows++;
      if (wait && typeof wait.then === 'function') this.pauseUntil(wait);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private pauseUntil(wait: Promise<void>): void {
    if (this.waiting++ === 0) this.socket?.pause();
    const settled = wait.then(
      () => {
        if (--this.waiting === 0) this.socket?.resume();
      },
      (error: Error) => {
        if (--this.waiting === 0) this.socket?.resume();
        this.fail(error);
      },
    );
    this.pending = this.pending.then(() => settled);
  }

  // Answered at once (the caller drops the connection) rather than after the rest of the log has streamed in.
  private fail(error: Error): void {
    this.error ??= error;
    this.finish();
  }

  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('not a COPY … FROM statement');
  }

  // Settled at the first error, as pg's own queries are: when the connection breaks, no ReadyForQuery follows.
  handleError(error: Error): void {
    this.error ??= error;
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    // After the consumer's last wait: it has seen every row, and the socket reads again (it goes back to a pool).
    void this.pending.then(() => this.callback(this.error));
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/**
 * Runs `COPY (…) TO STDOUT` (text format) and hands every row to `onRow`; resolves with the number of rows.
 * If `onRow` returns a promise, reading pauses until it settles (a rejection ends the COPY with that error).
 */
export function copyOut(client: ClientBase, text: string, onRow: (row: Buffer) => void | Promise<void>): Promise<number> {
  const copy = new CopyOut(text, onRow);
  return new Promise<number>((resolve, reject) => {
    copy.callback = (error) => (error ? reject(error) : resolve(copy.rows));
    void client.query(copy as never);
  });
}

const ESCAPED = /\\(.)/g;
const UNESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * A field of COPY's text format back to its text (the backslash escapes COPY
 * writes; \N, a null, is for the caller to recognise first).
 */
export function copyField(field: string): string {
  return field.includes('\\') ? field.replace(ESCAPED, (_, c: string) => UNESCAPED[c] ?? c) : field;
}
