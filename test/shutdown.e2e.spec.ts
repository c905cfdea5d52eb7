import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HaitangProcess, startHaitang } from './support/haitang-process';

/**
 * Stopping Haitang. A stop that cannot finish: a command waits for the event
 * log's write lock, held by another program, when SIGTERM comes. Haitang stops
 * answering, waits HAITANG_SHUTDOWN_TIMEOUT for the request under way, then
 * says why and ends, instead of lingering half-stopped with its port and
 * files; a second signal ends it at once. A stop that can finish exits 0.
 */
describe('stopping Haitang', () => {
  let dir: string;
  let app: HaitangProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-stop-'));
  });
  afterAll(async () => {
    await app?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: object) => fetch(`${app!.baseUrl}/api/v1/org-units`, {
    method: 'POST', headers: { authorization: `Bearer ${app!.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  /** Holds the events file's write lock, as another program would, while a command waits for it; then `stop` stops Haitang. */
  async function stuckStop(stop: () => Promise<void>): Promise<{ took: number; stuck: number | string }> {
    const other = new Database(join(dir, 'events.sqlite'));
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const stuck = post({ kind: 'district', name: '相城区' }).then((r) => r.status, () => 'no answer');
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the command is waiting for the lock
      const started = Date.now();
      await stop();
      return { took: Date.now() - started, stuck: await stuck };
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  }

  async function namesInTheLog(): Promise<string[]> {
    const log = await (await fetch(`${app!.baseUrl}/api/v1/events?after=0&limit=100`, { headers: { authorization: `Bearer ${app!.token}` } }))
      .json() as { events: { data: { name?: string } }[] };
    return log.events.map((e) => e.data.name).filter((n): n is string => n !== undefined);
  }

  it('ends after HAITANG_SHUTDOWN_TIMEOUT, says why, and loses nothing acknowledged', async () => {
    app = await startHaitang(dir, { HAITANG_SHUTDOWN_TIMEOUT: '1' });
    expect((await post({ kind: 'district', name: '吴中区' })).status).toBe(201);

    const { took, stuck } = await stuckStop(() => app!.stop());
    expect(app.child.signalCode).toBe('SIGKILL');
    expect(app.output()).toMatch(/Haitang did not stop within 1 s \(the HTTP server was still finishing requests under way\); ending it now/);
    expect(app.output()).not.toMatch(/FATAL ERROR/);
    // Well before the command's own 5 s wait for the lock would have ended the stop.
    expect(took).toBeLessThan(4500);
    // The command was under way (not refused as the server closed) and was never answered.
    expect(stuck).toBe('no answer');

    app = await startHaitang(dir, {}, { token: app.token });
    const names = await namesInTheLog();
    expect(names).toContain('吴中区');
    expect(names).not.toContain('相城区');
  });

  it('ends at once when told to stop a second time', async () => {
    await app!.stop();
    app = await startHaitang(dir, { HAITANG_SHUTDOWN_TIMEOUT: '60' }, { token: app!.token });
    const { took, stuck } = await stuckStop(async () => {
      app!.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await app!.stop(); // SIGTERM again
    });
    expect(app.child.signalCode).toBe('SIGKILL');
    expect(app.output()).toMatch(/Haitang was told to stop again before it had stopped \(the HTTP server was still finishing requests under way\)/);
    expect(took).toBeLessThan(4500);
    expect(stuck).toBe('no answer');
  });

  it('exits with status 0 when its stop finishes', async () => {
    app = await startHaitang(dir, {}, { token: app!.token });
    expect(await namesInTheLog()).toEqual(['吴中区']);
    await app.stop();
    expect([app.child.exitCode, app.child.signalCode]).toEqual([0, null]);
    expect(app.output()).not.toMatch(/did not stop|told to stop again/);
  });
});
