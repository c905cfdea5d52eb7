import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { client, type HaitangProcess, startHaitang } from './support/haitang-process';
import { describePostgres, sameCluster } from './support/postgres';
import { POSTGRES } from './support/storage-backends';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The database goes away under write load (every backend terminated, new
 * connections refused), then comes back: the service answers 503
 * problem+json meanwhile, recovers by itself, and has lost nothing it acknowledged.
 */
describePostgres('standalone app on PostgreSQL: the database connection is killed mid-load', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: Client;
  let database: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-pg-outage-'));
    const env = await POSTGRES.prepare();
    database = new URL(env.DATABASE_URL).pathname.slice(1);
    admin = new Client({ connectionString: sameCluster(env.DATABASE_URL, 'postgres') });
    admin.on('error', () => undefined);
    await admin.connect();
    app = await startHaitang(dir, env);
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await app?.stop();
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 problem+json while the database is down, reconnects, and keeps every acknowledged command exactly once', async () => {
    const api = client(app.baseUrl, app.token);
    const acknowledged = new Map<string, { id: string; position: number }>();
    const refused: { key: string; body: unknown; status: number; type: string | null; code: string; retryAfter: string | null }[] = [];
    let down = false;
    let running = true;
    let n = 0;
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      while (running) {
        const key = `outage-${lane}-${n++}`;
        const body = { kind: 'district', name: `停电测试区${lane}-${n}` };
        const answer = await api.post('/org-units', body, { 'idempotency-key': key });
        if (answer.status === 201) acknowledged.set(key, answer.body);
        else {
          refused.push({ key, body, status: answer.status, type: answer.headers.get('content-type'), code: answer.body?.code, retryAfter: answer.headers.get('retry-after') });
          await sleep(20);
        }
      }
    });
    const until = async (condition: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out: ${acknowledged.size} acknowledged, ${refused.length} refused`);
        await sleep(20);
      }
    };

    await until(() => acknowledged.size >= 60);
    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
    down = true;
    await until(() => refused.length >= 15);
    const health = await api.call('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.details.eventStore.status).toBe('down');

    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    down = false;
    const back = acknowledged.size;
    await until(() => acknowledged.size >= back + 60);
    running = false;
    await Promise.all(lanes);
    expect(down).toBe(false);

    expect(refused.length).toBeGreaterThanOrEqual(15);
    for (const r of refused) {
      // store-unavailable: certainly not recorded; outcome-unknown: cut off during its COMMIT.
      expect(r.status).toBe(503);
      expect(['store-unavailable', 'outcome-unknown']).toContain(r.code);
      expect(r.type).toContain('application/problem+json');
      expect(r.retryAfter).not.toBeNull();
    }
    // A client retries what was refused, with the same key: it is recorded once, whether or not the first try got in.
    for (const r of refused) {
      const retry = await api.post('/org-units', r.body, { 'idempotency-key': r.key });
      expect(retry.status).toBe(201);
      acknowledged.set(r.key, retry.body);
    }
    const log = { events: [] as { position: number; type: string; data: { orgUnitId: string } }[] };
    for (let page; (page = (await api.get(`/events?after=${log.events.length}&limit=1000`)).body.events).length > 0;) log.events.push(...page);
    const registered = log.events.filter((e: { type: string }) => e.type === 'OrgUnitRegistered.v1');
    const ids = new Set(registered.map((e: { data: { orgUnitId: string } }) => e.data.orgUnitId));
    expect(ids.size).toBe(registered.length); // nothing recorded twice
    for (const { id, position } of acknowledged.values()) {
      expect(ids.has(id)).toBe(true);
      expect(log.events.find((e: { position: number }) => e.position === position)?.data.orgUnitId).toBe(id);
    }
    expect(log.events.map((e: { position: number }) => e.position)).toEqual(Array.from({ length: log.events.length }, (_, i) => i + 1));
    // Healthy again: the event store at once, the read models once the projector (which retries every
    // second on its own) has applied a batch after the outage.
    const healthyBy = Date.now() + 15_000;
    let healthy = await api.call('GET', '/health');
    while (healthy.status !== 200 && Date.now() < healthyBy) {
      await sleep(100);
      healthy = await api.call('GET', '/health');
    }
    expect({ status: healthy.status, details: healthy.body?.details }).toMatchObject({ status: 200 });
  });
});
