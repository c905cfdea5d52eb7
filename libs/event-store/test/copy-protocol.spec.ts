import { EventEmitter } from 'node:events';
import type { ClientBase } from 'pg';
import { copyOut } from '../src/postgres/copy-out';
import { CopyStream } from '../src/postgres/copy-in';

/**
 * The COPY submittables against pg's side of the contract, played by hand: a
 * connection that breaks calls handleError and nothing after it (no
 * ReadyForQuery), and that must fail the COPY at once, never leave it waiting.
 * (The rows themselves are tested against a real server: postgres-event-store
 * and postgres-rebuild.)
 */
type Submittable = Record<string, (...args: any[]) => void>;
const clientThat = (play: (copy: Submittable) => void) => ({ query: (copy: Submittable) => play(copy) }) as unknown as ClientBase;
/** The promise's outcome, or "pending" if it has none within a moment. */
const outcome = (promise: Promise<unknown>) => Promise.race([
  promise.then(() => 'resolved', (error: Error) => `rejected: ${error.message}`),
  new Promise((resolve) => setTimeout(() => resolve('pending'), 200)),
]);

describe('COPY through pg', () => {
  it('COPY TO STDOUT fails when the connection breaks mid-stream', async () => {
    const rows: string[] = [];
    const copy = copyOut(clientThat((c) => {
      c.handleCopyData({ chunk: Buffer.from('1\ta') });
      c.handleError(new Error('Connection terminated unexpectedly'));
    }), 'COPY (SELECT 1) TO STDOUT', (row) => { rows.push(row.toString()); });
    expect(await outcome(copy)).toBe('rejected: Connection terminated unexpectedly');
    expect(rows).toEqual(['1\ta']);
  });

  it('COPY TO STDOUT fails as soon as the consumer throws, and settles once when the server ends the statement later', async () => {
    let settle: Submittable = {};
    const copy = copyOut(clientThat((c) => (settle = c)), 'COPY (SELECT 1) TO STDOUT', () => {
      throw new Error('consumer failed');
    });
    settle.handleCopyData({ chunk: Buffer.from('1') });
    expect(await outcome(copy)).toBe('rejected: consumer failed');
    settle.handleCopyData({ chunk: Buffer.from('2') });
    settle.handleCommandComplete();
    settle.handleReadyForQuery();
    expect(await outcome(copy)).toBe('rejected: consumer failed');
  });

  it('COPY TO STDOUT resolves with the row count at ReadyForQuery', async () => {
    const copy = copyOut(clientThat((c) => {
      c.handleCopyData({ chunk: Buffer.from('1') });
      c.handleCopyData({ chunk: Buffer.from('2') });
      c.handleCommandComplete();
      c.handleReadyForQuery();
    }), 'COPY (SELECT 1) TO STDOUT', () => undefined);
    expect(await outcome(copy)).toBe('resolved');
    expect(await copy).toBe(2);
  });

  it('COPY FROM STDIN fails when the connection breaks, and refuses further rows at once', async () => {
    let pg: Submittable = {};
    const stream = new CopyStream('audit_log', ['position']).open(clientThat((c) => (pg = c)));
    pg.handleCopyInResponse({ sendCopyFromChunk: () => undefined, endCopyFrom: () => undefined });
    stream.writeRow({ position: 1 });
    pg.handleError(new Error('Connection terminated unexpectedly'));
    expect(() => stream.writeRow({ position: 2 })).toThrow('Connection terminated unexpectedly');
    expect(await outcome(stream.end())).toBe('rejected: Connection terminated unexpectedly');
  });

  it('COPY FROM STDIN asks its producer to wait while the socket holds too much, until it drains or the COPY fails', async () => {
    let pg: Submittable = {};
    const socket = Object.assign(new EventEmitter(), { writableLength: 0 });
    const sent: Buffer[] = [];
    const stream = new CopyStream('audit_log', ['position', 'text']).open(clientThat((c) => (pg = c)));
    // Before the server has opened the COPY, rows wait in this process: they count too.
    for (let i = 0; i < 2000; i++) stream.writeRow({ position: i, text: 'x'.repeat(100) });
    const early = stream.drained(50_000);
    expect(early).not.toBeNull();
    pg.handleCopyInResponse({ sendCopyFromChunk: (chunk: Buffer) => sent.push(chunk), endCopyFrom: () => undefined, stream: socket });
    expect(await outcome(early!)).toBe('resolved'); // handed to the socket, whose buffer is empty
    expect(sent.length).toBeGreaterThan(0);

    socket.writableLength = 200_000;
    expect(stream.drained()).toBeNull(); // below the default high-water mark (8 MB)
    const waiting = stream.drained(100_000)!;
    expect(await outcome(waiting)).toBe('pending');
    socket.writableLength = 80_000; // still above half the mark
    socket.emit('drain');
    expect(await outcome(waiting)).toBe('pending');
    socket.writableLength = 0;
    socket.emit('drain');
    expect(await outcome(waiting)).toBe('resolved');

    socket.writableLength = 200_000;
    const failing = stream.drained(100_000)!;
    pg.handleError(new Error('Connection terminated unexpectedly'));
    expect(await outcome(failing)).toBe('resolved'); // the producer goes on, and its next write throws
    expect(() => stream.writeRow({ position: 1, text: 'y' })).toThrow('Connection terminated unexpectedly');
  });
});
