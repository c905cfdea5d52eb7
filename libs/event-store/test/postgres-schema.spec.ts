import { Client } from 'pg';
import { NO_STREAM, PostgresEventStore } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { anEvent } from './event-store.contract';

describePostgres('PostgreSQL event store: versioned schema', () => {
  const sql = async (url: string, text: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  };

  it('creates its tables once, even when several processes start at the same moment, and records the version', async () => {
    const url = await freshDatabase('schema');
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresEventStore.open({ url })));
    await stores[0].append([{ streamId: 's', expectedVersion: NO_STREAM, events: [anEvent()] }]);
    expect(await stores[3].headPosition()).toBe(1);
    expect(await sql(url, `SELECT component, version FROM haitang_schema_versions`)).toEqual([{ component: 'event-store', version: 1 }]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('refuses to run against a schema from a newer Haitang, and changes nothing', async () => {
    const url = await freshDatabase('schema_newer');
    const store = await PostgresEventStore.open({ url });
    await store.append([{ streamId: 'kept', expectedVersion: NO_STREAM, events: [anEvent('Kept.v1', { k: 1 })] }]);
    await store.close();
    await sql(url, `UPDATE haitang_schema_versions SET version = 99 WHERE component = 'event-store'`);
    await expect(PostgresEventStore.open({ url })).rejects.toMatchObject({
      name: 'SchemaTooNewError', found: 99, supported: 1, message: expect.stringContaining('newer than this Haitang supports'),
    });
    expect(await sql(url, `SELECT version FROM haitang_schema_versions WHERE component = 'event-store'`)).toEqual([{ version: 99 }]);
    expect(await sql(url, `SELECT stream_id, type FROM events`)).toEqual([{ stream_id: 'kept', type: 'Kept.v1' }]);
  });

  it('keeps the log append-only: the database itself refuses to update or delete an event or a receipt', async () => {
    const url = await freshDatabase('schema_append_only');
    const store = await PostgresEventStore.open({ url });
    await store.append([{ streamId: 's', expectedVersion: NO_STREAM, events: [anEvent()] }], { receipt: { commandId: 'c', fingerprint: 'f', result: {} } });
    await store.close();
    await expect(sql(url, `UPDATE events SET type = 'Forged.v1'`)).rejects.toThrow(/append-only/);
    await expect(sql(url, `DELETE FROM events`)).rejects.toThrow(/append-only/);
    await expect(sql(url, `TRUNCATE events`)).rejects.toThrow(/append-only/);
    await expect(sql(url, `DELETE FROM command_receipts`)).rejects.toThrow(/append-only/);
    expect(await sql(url, `SELECT count(*)::int AS n FROM events`)).toEqual([{ n: 1 }]);
  });
});
