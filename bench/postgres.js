'use strict';
/**
 * PostgreSQL benchmarks, on a throwaway cluster this script starts itself
 * (test/support/postgres-cluster.js: initdb + pg_ctl on a free port, fsync on,
 * synchronous_commit on), stopped and removed at the end.
 *
 * Event store:
 *   MEASURED  PostgresEventStore (dist/libs/event-store/src), BENCH_PG_CONCURRENCY (1000) async
 *             appenders, each awaiting single-event appends (a VolunteerCheckedIn.v1 event with
 *             full metadata, as DecisionRunner writes it) to a random stream of BENCH_STREAMS (1000),
 *             expectedVersion 'any', BENCH_EVENTS (100000) in total. Durable: each append resolves
 *             after its group's COMMIT.
 *   BASELINES the same rows into the same table (migrated by the adapter: primary key on position,
 *             unique (stream_id, stream_version), unique event_id), positions and versions
 *             tracked in memory, over BENCH_PG_CONNECTIONS (8) connections in parallel:
 *             single-row  one INSERT per transaction (autocommit);
 *             batched     BENCH_PG_BATCH (100) rows per INSERT, one transaction each.
 *   All three in the same run, on the same cluster, each in a fresh database.
 *
 * Usage: npm run build && node bench/postgres.js
 *        BENCH_PROFILE=short node bench/postgres.js
 */
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { DIST, ROOT, requireBuild, percentile, round, fmt, machineBusyMs } = require('./support/common');
const { startCluster, createDatabase } = require(join(ROOT, 'test', 'support', 'postgres-cluster.js'));

const TARGETS = { appendsVsBatched: 0.5 };

function options(overrides = {}) {
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  const short = process.env.BENCH_PROFILE === 'short';
  return {
    events: num('BENCH_EVENTS', short ? 20_000 : 100_000),
    concurrency: num('BENCH_PG_CONCURRENCY', 1000),
    streams: num('BENCH_STREAMS', 1000),
    connections: num('BENCH_PG_CONNECTIONS', 8),
    batch: num('BENCH_PG_BATCH', 100),
    ...overrides,
  };
}

const ACTOR = { id: 'standalone-operator', role: 'admin', orgUnitId: null };

/** Shaped like what DecisionRunner appends for a check-in. */
function makeEvent(activityId) {
  const eventId = randomUUID();
  const commandId = randomUUID();
  const now = new Date().toISOString();
  return {
    eventId,
    type: 'VolunteerCheckedIn.v1',
    data: { activityId, volunteerId: randomUUID(), at: now },
    metadata: { eventId, commandId, correlationId: commandId, causationId: commandId, actor: ACTOR, occurredAt: now, recordedAt: now },
  };
}

/** CPU of this process and of everything else on the machine (the server, other sessions) over a run. */
function cpuMeter() {
  const cpu0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const t0 = process.hrtime.bigint();
  return () => {
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const ownMs = (cpu.user + cpu.system) / 1000;
    const otherMs = machineBusyMs() - machine0 - ownMs;
    return { seconds, nodeCpuPct: (ownMs / (seconds * 1000)) * 100, otherCpuPct: Math.max(0, (otherMs / (seconds * 1000)) * 100) };
  };
}

async function measureStore(url, opts) {
  const { PostgresEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
  const store = await PostgresEventStore.open({ url });
  const activities = Array.from({ length: opts.streams }, () => randomUUID());
  const latencies = new Float64Array(opts.events);
  let next = 0;
  const appender = async () => {
    while (next < opts.events) {
      const i = next++;
      const activityId = activities[Math.floor(Math.random() * activities.length)];
      const t = process.hrtime.bigint();
      await store.append([{ streamId: `activity-${activityId}`, expectedVersion: 'any', events: [makeEvent(activityId)] }]);
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
    }
  };
  const meter = cpuMeter();
  await Promise.all(Array.from({ length: opts.concurrency }, appender));
  const m = meter();
  const head = await store.headPosition();
  const stats = store.groupStats;
  await store.close();
  if (head !== opts.events) throw new Error(`event store: expected ${opts.events} events, head is ${head}`);
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    ...m, perSecond: opts.events / m.seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99),
    groups: stats.groups, meanGroup: stats.appends / stats.groups, maxGroup: stats.largest,
  };
}

/** Raw inserts into the adapter's own table over `connections` connections, `batch` rows per transaction. */
async function measureBaseline(url, opts, batch) {
  const { Client } = require('pg');
  const { PostgresEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
  await (await PostgresEventStore.open({ url })).close(); // the same schema, migrated by the adapter
  const clients = await Promise.all(Array.from({ length: opts.connections }, async () => {
    const client = new Client({ connectionString: url, options: '-c synchronous_commit=on' });
    await client.connect();
    return client;
  }));
  const activities = Array.from({ length: opts.streams }, () => randomUUID());
  const versions = new Map();
  let position = 0;
  let remaining = opts.events;
  const rowsOf = (n) => Array.from({ length: n }, () => {
    const activityId = activities[Math.floor(Math.random() * activities.length)];
    const streamId = `activity-${activityId}`;
    const version = (versions.get(streamId) ?? -1) + 1;
    versions.set(streamId, version);
    const e = makeEvent(activityId);
    return [++position, streamId, version, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)];
  });
  const meter = cpuMeter();
  await Promise.all(clients.map(async (client) => {
    while (remaining > 0) {
      const n = Math.min(batch, remaining);
      remaining -= n;
      const rows = rowsOf(n);
      const values = [];
      const tuples = rows.map((row, k) => {
        values.push(...row);
        const b = k * 7;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, now())`;
      });
      await client.query(`INSERT INTO events (position, stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES ${tuples.join(', ')}`, values);
    }
  }));
  const m = meter();
  const count = Number((await clients[0].query('SELECT count(*) AS n FROM events')).rows[0].n);
  await Promise.all(clients.map((c) => c.end()));
  if (count !== opts.events) throw new Error(`baseline: expected ${opts.events} rows, found ${count}`);
  return { ...m, perSecond: opts.events / m.seconds, batch, transactions: Math.ceil(opts.events / batch) };
}

async function runEventStore(cluster, opts) {
  process.stderr.write(`postgres: BASELINE single-row inserts, ${opts.events} rows over ${opts.connections} connections...\n`);
  const single = await measureBaseline(await createDatabase(cluster, 'bench_single'), opts, 1);
  process.stderr.write(`postgres: BASELINE ${opts.batch}-row inserts, ${opts.events} rows over ${opts.connections} connections...\n`);
  const batched = await measureBaseline(await createDatabase(cluster, 'bench_batched'), opts, opts.batch);
  process.stderr.write(`postgres: MEASURED PostgresEventStore, ${opts.events} single-event appends, ${opts.concurrency} appenders...\n`);
  const store = await measureStore(await createDatabase(cluster, 'bench_store'), opts);
  return {
    options: { events: opts.events, concurrency: opts.concurrency, streams: opts.streams, connections: opts.connections, batch: opts.batch },
    appendsPerSecond: round(store.perSecond),
    appendP50Ms: round(store.p50Ms, 2),
    appendP99Ms: round(store.p99Ms, 2),
    groupCommit: { groups: store.groups, meanSize: round(store.meanGroup, 1), maxSize: store.maxGroup },
    nodeCpuPct: round(store.nodeCpuPct), otherCpuPct: round(store.otherCpuPct),
    singleRow: { rowsPerSecond: round(single.perSecond), nodeCpuPct: round(single.nodeCpuPct), otherCpuPct: round(single.otherCpuPct) },
    batched: { rowsPerSecond: round(batched.perSecond), rowsPerTransaction: batched.batch, nodeCpuPct: round(batched.nodeCpuPct), otherCpuPct: round(batched.otherCpuPct) },
    ratioVsSingleRow: round(store.perSecond / single.perSecond, 2),
    ratioVsBatched: round(store.perSecond / batched.perSecond, 3),
    targets: { ratioVsBatched: TARGETS.appendsVsBatched },
    pass: { ratioVsBatched: store.perSecond / batched.perSecond >= TARGETS.appendsVsBatched },
  };
}

async function run(overrides = {}) {
  requireBuild();
  const opts = options(overrides);
  process.stderr.write('postgres: starting a throwaway cluster (initdb + pg_ctl)...\n');
  const cluster = await startCluster();
  try {
    const eventStore = await runEventStore(cluster, opts);
    return { cluster: { version: cluster.version, startedInMs: cluster.startedInMs }, eventStore };
  } finally {
    cluster.stop();
  }
}

function print(r) {
  const e = r.eventStore;
  return [
    `PostgreSQL ${r.cluster.version} (throwaway cluster, started in ${fmt(r.cluster.startedInMs)} ms; fsync on, synchronous_commit on)`,
    `Event store (${e.options.events} single-event appends, ${e.options.concurrency} concurrent appenders, ${e.options.streams} streams)`,
    `  measured: ${fmt(e.appendsPerSecond)} durable appends/s (p50 ${fmt(e.appendP50Ms, 1)} ms, p99 ${fmt(e.appendP99Ms, 1)} ms; ` +
      `group commit: ${e.groupCommit.groups} groups, mean ${fmt(e.groupCommit.meanSize, 1)}, max ${e.groupCommit.maxSize}; ` +
      `CPU: node ${fmt(e.nodeCpuPct)}%, server and other processes ${fmt(e.otherCpuPct)}% of one core)`,
    `  baseline single-row inserts over ${e.options.connections} connections: ${fmt(e.singleRow.rowsPerSecond)} rows/s (server and other processes ${fmt(e.singleRow.otherCpuPct)}%)`,
    `  baseline ${e.batched.rowsPerTransaction}-row inserts over ${e.options.connections} connections: ${fmt(e.batched.rowsPerSecond)} rows/s (server and other processes ${fmt(e.batched.otherCpuPct)}%)`,
    `  ratio appends / single-row: ${fmt(e.ratioVsSingleRow, 2)}`,
    `  ratio appends / batched: ${fmt(e.ratioVsBatched, 2)} (target >= ${e.targets.ratioVsBatched}: ${e.pass.ratioVsBatched ? 'ok' : 'MISSED'})`,
  ].join('\n');
}

module.exports = { run, print, TARGETS };

if (require.main === module) require('./support/common').runStandalone(run, print);
