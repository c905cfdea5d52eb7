import { Client } from 'pg';
import { PostgresProjector, PostgresReadModels, READ_STORE_MIGRATIONS } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';

describePostgres('PostgreSQL read store: versioned schema', () => {
  it('creates its tables on first open, and refuses a schema from a newer Haitang without touching it', async () => {
    const url = await freshDatabase('rs_schema');
    const models = await PostgresReadModels.open({ url });
    expect(await models.all('SELECT projection FROM checkpoints')).toEqual([]);
    await models.close();
    const db = new Client({ connectionString: url });
    await db.connect();
    const current = READ_STORE_MIGRATIONS[READ_STORE_MIGRATIONS.length - 1].version;
    expect(current).toBeGreaterThanOrEqual(2); // v2 added stream_owners
    expect((await db.query(`SELECT version FROM haitang_schema_versions WHERE component = 'read-store'`)).rows).toEqual([{ version: current }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'stream_owners'`)).rows).toEqual([{ n: 1 }]);
    await db.query(`UPDATE haitang_schema_versions SET version = $1 WHERE component = 'read-store'`, [current + 1]);
    await expect(PostgresReadModels.open({ url })).rejects.toMatchObject({ name: 'SchemaTooNewError', found: current + 1, supported: current });
    await expect(PostgresProjector.open(null, { url })).rejects.toMatchObject({ name: 'SchemaTooNewError' });
    expect((await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'service_records'`)).rows).toEqual([{ n: 1 }]);
    await db.end();
  });

  it('refuses read models built by another version of a projection, asking for a rebuild', async () => {
    const url = await freshDatabase('rs_projection_version');
    await (await PostgresProjector.open(null, { url })).stop();
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query(`UPDATE checkpoints SET version = 99 WHERE projection = 'records'`);
    await db.end();
    await expect(PostgresProjector.open(null, { url })).rejects.toThrow(/"records" has version 99.*rebuild the read models/);
  });
});
