import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startHaitang } from './support/haitang-process';
import { describePostgres } from './support/postgres';
import { POSTGRES } from './support/storage-backends';
import { ROOT } from './support/built';

/** (A first start on an empty database migrates it: the seed story on PostgreSQL starts that way.) */
describePostgres('standalone app on PostgreSQL: schema migrations on start', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-pg-schema-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start against a schema from a newer Haitang', async () => {
    const env = await POSTGRES.prepare();
    // The schema as this Haitang makes it, then one version newer, as a newer Haitang would leave it.
    const { PostgresEventStore } = require(join(ROOT, 'dist', 'libs', 'event-store', 'src'));
    await (await PostgresEventStore.open({ url: env.DATABASE_URL })).close();
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    await db.query(`UPDATE haitang_schema_versions SET version = version + 1 WHERE component = 'event-store'`);
    await db.end();

    const refused = await startHaitang(dir, env).then(async (started) => {
      await started.stop();
      return 'started';
    }, (error: Error) => error.message);
    expect(refused).toMatch(/schema of the event-store has version 2, newer than this Haitang supports \(1\)/);
  });
});
