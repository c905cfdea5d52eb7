import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HaitangProcess, startHaitang } from './support/haitang-process';

/**
 * A stop that cannot finish: a command waits for the event log's write lock,
 * held by another program, when SIGTERM comes. Haitang stops answering, waits
 * HAITANG_SHUTDOWN_TIMEOUT for the request under way, then says why and ends,
 * instead of lingering half-stopped with its port and files.
 */
describe('a stop that cannot finish', () => {
  let dir: string;
  let app: HaitangProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-stop-'));
  });
  afterAll(async () => {
    await app?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends after HAITANG_SHUTDOWN_TIMEOUT, says why, and loses nothing acknowledged', async () => {
    app = await startHaitang(dir, { HAITANG_SHUTDOWN_TIMEOUT: '1' });
    const post = (body: object) => fetch(`${app!.baseUrl}/api/v1/org-units`, {
      method: 'POST', headers: { authorization: `Bearer ${app!.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const acknowledged = await post({ kind: 'district', name: '吴中区' });
    expect(acknowledged.status).toBe(201);
    const district = (await acknowledged.json()) as { id: string };

    const other = new Database(join(dir, 'events.sqlite'));
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE'); // the write lock, as another program would hold it
    try {
      const stuck = post({ kind: 'district', name: '相城区' }).then((r) => r.status, () => 'no answer');
      await new Promise((resolve) => setTimeout(resolve, 300)); // the command is waiting for the lock
      const started = Date.now();
      await app.stop();
      const took = Date.now() - started;
      expect(app.child.signalCode).toBe('SIGKILL');
      expect(app.output()).toMatch(/Haitang did not stop within 1 s \(the HTTP server was still finishing requests under way\); ending it now/);
      expect(app.output()).not.toMatch(/FATAL ERROR/);
      // Well before the command's own 5 s wait for the lock would have ended the stop.
      expect(took).toBeLessThan(4500);
      expect(await stuck).not.toBe(201);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }

    app = await startHaitang(dir, {}, { token: app.token });
    const log = await (await fetch(`${app.baseUrl}/api/v1/events?after=0&limit=100`, { headers: { authorization: `Bearer ${app.token}` } })).json() as { events: { streamId: string; data: { name?: string } }[] };
    const names = log.events.map((e) => e.data.name).filter(Boolean);
    expect(names).toContain('吴中区');
    expect(names).not.toContain('相城区');
    expect(log.events.some((e) => e.streamId.includes(district.id))).toBe(true);
  });
});
