import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { client, startHaitang } from './support/haitang-process';
import { describePostgres } from './support/postgres';
import { POSTGRES } from './support/storage-backends';

describePostgres('standalone app on PostgreSQL: schema migrations on start', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-pg-schema-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates an empty database on the first start, and refuses to start against a schema from a newer Haitang', async () => {
    const env = await POSTGRES.prepare();
    const app = await startHaitang(dir, env);
    const created = await client(app.baseUrl).post('/org-units', { kind: 'district', name: '姑苏区' }, { 'idempotency-key': 'schema-1' });
    expect(created.status).toBe(201);
    await app.stop();

    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const versions = (await db.query('SELECT component, version FROM haitang_schema_versions ORDER BY component')).rows;
    expect(versions).toContainEqual({ component: 'event-store', version: 1 });
    await db.query(`UPDATE haitang_schema_versions SET version = version + 1 WHERE component = 'event-store'`);
    await db.end();

    const refused = await startHaitang(dir, env).then(async (started) => {
      await started.stop();
      return 'started';
    }, (error: Error) => error.message);
    expect(refused).toMatch(/schema of the event-store has version 2, newer than this Haitang supports \(1\)/);
  });
});
