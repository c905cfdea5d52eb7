import type { ClientBase } from 'pg';

/**
 * COPY … TO STDOUT through node-postgres without another dependency: a
 * "submittable" (the interface pg's Client.query accepts for custom queries)
 * that hands each row to `onRow` as its CopyData message arrives. A row is a
 * view into the driver's receive buffer, valid only during the call. For a
 * replay of the whole log: one statement, no pages, and no row-protocol
 * parsing of columns the reader does not want.
 */
class CopyOut {
  private error: Error | null = null;
  private settled = false;
  rows = 0;
  callback: (error: Error | null) => void = () => undefined;

  constructor(readonly text: string, private readonly onRow: (row: Buffer) => void) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.error) return; // the rest streams in and is dropped; the statement fails with the first error
    try {
      this.onRow(message.chunk);
      this.rows++;
    } catch (error) {
      // Answered at once (the caller drops the connection) rather than after the rest of the log has streamed in.
      this.error = error as Error;
      this.finish();
    }
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
    this.callback(this.error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/** Runs `COPY (…) TO STDOUT` (text format) and hands every row to `onRow`; resolves with the number of rows. */
export function copyOut(client: ClientBase, text: string, onRow: (row: Buffer) => void): Promise<number> {
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
