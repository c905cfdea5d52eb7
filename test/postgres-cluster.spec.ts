import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { startCluster } from './support/postgres-cluster';
import { describePostgres, freshDatabase } from './support/postgres';

/** The throwaway cluster the PostgreSQL suites run against (test/support/postgres-cluster.js). */
describePostgres('throwaway PostgreSQL cluster', () => {
  const query = async (url: string, sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it('gives each caller its own empty database on a durable server that listens on 127.0.0.1 and does not run as root', async () => {
    const a = await freshDatabase('cluster_a');
    const b = await freshDatabase('cluster_b');
    expect(a).not.toBe(b);
    await query(a, 'CREATE TABLE only_in_a (x int)');
    expect(await query(b, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'`)).toEqual([{ n: 0 }]);
    const client = new Client({ connectionString: a });
    await client.connect();
    try {
      const { rows: [settings] } = await client.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync,
        current_setting('listen_addresses') AS listen, pg_backend_pid() AS pid`);
      expect(settings).toMatchObject({ fsync: 'on', sync: 'on', listen: '127.0.0.1' });
      // The backend serving this (still open) connection runs as the cluster's user, not root.
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${settings.pid}/status`, 'utf8'))![1];
      expect(Number(uid)).not.toBe(0);
    } finally {
      await client.end();
    }
  });

  it('starts a cluster of its own and removes it completely when stopped', async () => {
    const cluster = await startCluster();
    try {
      expect(await query(cluster.url(), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(existsSync(cluster.dir)).toBe(true);
    } finally {
      cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    await expect(query(cluster.url(), 'SELECT 1')).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
