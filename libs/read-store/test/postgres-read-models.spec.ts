import { Client } from 'pg';
import { PostgresReadModels } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';

describePostgres('PostgreSQL read models: queries', () => {
  it('runs a report’s several queries on one snapshot, so a commit in between cannot make them disagree', async () => {
    const url = await freshDatabase('rs_snapshot');
    const models = await PostgresReadModels.open({ url });
    const writer = new Client({ connectionString: url });
    await writer.connect();
    const insert = (id: string) => writer.query(`INSERT INTO volunteer_keys (volunteer_n, volunteer_id) VALUES ($1, $2)`, [Number(id.slice(1)), id]);
    await insert('v1');
    const count = 'SELECT count(*) AS n FROM volunteer_keys';
    const [before, after] = await models.consistent(async (db) => {
      const first = (await db.get<{ n: number }>(count))!.n;
      await insert('v2'); // committed by another connection meanwhile
      return [first, (await db.get<{ n: number }>(count))!.n];
    });
    expect([before, after]).toEqual([1, 1]);
    expect((await models.get<{ n: number }>(count))!.n).toBe(2);
    // Without it, each query sees the latest commit.
    await insert('v3');
    expect((await models.all<{ id: string }>('SELECT volunteer_id AS id FROM volunteer_keys WHERE volunteer_id > ? ORDER BY 1', ['v1'])).map((r) => r.id)).toEqual(['v2', 'v3']);
    await writer.end();
    await models.close();
  });
});
