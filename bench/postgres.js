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
 *   BENCH_PG_STORE=0 skips this part (for working on the rebuild alone).
 *
 * Read side (BENCH_PG_REBUILD=0 skips it):
 *   THE LOG   bench/support/generate-log.js (the read-side benchmark's generator: BENCH_LOG_EVENTS,
 *             200000 short / 1000000 full, BENCH_LOG_VOLUNTEERS, BENCH_LOG_SEED, BENCH_LOG_CACHE) writes
 *             a SQLite log, copied into a PostgresEventStore database (not measured; its time is printed).
 *   MEASURED  rebuildPostgresReadModels (dist/libs/read-store/src) from that PostgreSQL log into the
 *             PostgreSQL read store of the same database: replay into fresh tables + swap, wall time.
 *   BASELINE  the same run: raw readAll of the same log in batches of 20000 through the adapter (rows
 *             parsed, JSON included) and one upsert per event keyed by its stream id (20000 per
 *             statement, json_populate_recordset, synchronous_commit off, as the rebuild's sessions).
 *   Then the rebuilt read models are checked against the generator's summary.
 *
 * Usage: npm run build && node bench/postgres.js
 *        BENCH_PROFILE=short node bench/postgres.js
 */
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { existsSync, mkdirSync, copyFileSync, readFileSync, writeFileSync } = require('node:fs');
const Database = require('better-sqlite3');
const { DIST, ROOT, requireBuild, percentile, round, fmt, machineBusyMs, makeTempDir, removeTempDir } = require('./support/common');
const { generateLog, GENERATOR_VERSION } = require('./support/generate-log');
const { startCluster, createDatabase } = require(join(ROOT, 'test', 'support', 'postgres-cluster.js'));

const TARGETS = { appendsVsBatched: 0.5, rebuildEventsPerSecond: 50_000 };

function options(overrides = {}) {
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  const short = process.env.BENCH_PROFILE === 'short';
  return {
    events: num('BENCH_EVENTS', short ? 20_000 : 100_000),
    concurrency: num('BENCH_PG_CONCURRENCY', 1000),
    streams: num('BENCH_STREAMS', 1000),
    connections: num('BENCH_PG_CONNECTIONS', 8),
    batch: num('BENCH_PG_BATCH', 100),
    store: process.env.BENCH_PG_STORE !== '0',
    rebuild: process.env.BENCH_PG_REBUILD !== '0',
    logEvents: num('BENCH_LOG_EVENTS', short ? 200_000 : 1_000_000),
    logVolunteers: num('BENCH_LOG_VOLUNTEERS', short ? 20_000 : 100_000),
    seed: num('BENCH_LOG_SEED', 20261125),
    logCache: process.env.BENCH_LOG_CACHE || null,
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
    groups: stats.groups, meanGroup: stats.appends / stats.groups, maxGroup: stats.largest, rewritten: store.optimisticRetries,
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
    groupCommit: { groups: store.groups, meanSize: round(store.meanGroup, 1), maxSize: store.maxGroup, rewritten: store.rewritten },
    nodeCpuPct: round(store.nodeCpuPct), otherCpuPct: round(store.otherCpuPct),
    singleRow: { rowsPerSecond: round(single.perSecond), nodeCpuPct: round(single.nodeCpuPct), otherCpuPct: round(single.otherCpuPct) },
    batched: { rowsPerSecond: round(batched.perSecond), rowsPerTransaction: batched.batch, nodeCpuPct: round(batched.nodeCpuPct), otherCpuPct: round(batched.otherCpuPct) },
    ratioVsSingleRow: round(store.perSecond / single.perSecond, 2),
    ratioVsBatched: round(store.perSecond / batched.perSecond, 3),
    targets: { ratioVsBatched: TARGETS.appendsVsBatched },
    pass: { ratioVsBatched: store.perSecond / batched.perSecond >= TARGETS.appendsVsBatched },
  };
}

// ---------------------------------------------------------------------------
// Read side: rebuild on PostgreSQL

const log = (line) => process.stderr.write(`${line}\n`);

/** The read-side benchmark's log (SQLite file), generated or taken from BENCH_LOG_CACHE. */
function sqliteLog(dir, opts) {
  const file = join(dir, 'events.sqlite');
  const key = `events-${opts.logEvents}-volunteers-${opts.logVolunteers}-seed-${opts.seed}-v${GENERATOR_VERSION}`;
  if (opts.logCache && existsSync(join(opts.logCache, `${key}.sqlite`)) && existsSync(join(opts.logCache, `${key}.json`))) {
    log(`postgres: using the cached log ${join(opts.logCache, `${key}.sqlite`)}`);
    copyFileSync(join(opts.logCache, `${key}.sqlite`), file);
    return { file, summary: JSON.parse(readFileSync(join(opts.logCache, `${key}.json`), 'utf8')) };
  }
  log(`postgres: generating ${opts.logEvents} events, ${opts.logVolunteers} volunteers (seed ${opts.seed})...`);
  const summary = generateLog({ file, events: opts.logEvents, volunteers: opts.logVolunteers, seed: opts.seed });
  if (opts.logCache) {
    mkdirSync(opts.logCache, { recursive: true });
    copyFileSync(file, join(opts.logCache, `${key}.sqlite`));
    writeFileSync(join(opts.logCache, `${key}.json`), JSON.stringify(summary));
  }
  return { file, summary };
}

/** Copies the SQLite log into the PostgreSQL event store's table, as it is (positions, versions, JSON text). */
async function loadIntoPostgres(file, url) {
  const { Client } = require('pg');
  const { PostgresEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
  await (await PostgresEventStore.open({ url })).close();
  const client = new Client({ connectionString: url, options: '-c synchronous_commit=off' });
  await client.connect();
  const src = new Database(file, { readonly: true });
  const read = src.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 10000');
  const t0 = Date.now();
  let position = 0;
  for (;;) {
    const rows = read.all(position);
    if (rows.length === 0) break;
    const json = `[${rows.map((r) => `{"p":${r.position},"s":${JSON.stringify(r.stream_id)},"v":${r.stream_version},"i":${JSON.stringify(r.event_id)},"t":${JSON.stringify(r.type)},"d":${r.data},"m":${r.metadata},"a":${JSON.stringify(r.recorded_at)}}`).join(',')}]`;
    await client.query(`INSERT INTO events (position, stream_id, stream_version, event_id, type, data, metadata, recorded_at)
      SELECT p, s, v, i, t, d, m, a FROM json_to_recordset($1::json) AS x(p bigint, s text, v integer, i text, t text, d json, m json, a timestamptz)`, [json]);
    position = rows[rows.length - 1].position;
  }
  await client.query('ANALYZE events');
  src.close();
  await client.end();
  return { events: position, seconds: (Date.now() - t0) / 1000 };
}

/** Raw read through the adapter and one upsert per event keyed by stream id, 20000 per statement. */
async function rebuildBaseline(url, batchSize) {
  const { Client } = require('pg');
  const { PostgresEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
  const store = await PostgresEventStore.open({ url });
  const client = new Client({ connectionString: url, options: '-c synchronous_commit=off' });
  await client.connect();
  await client.query('CREATE TABLE baseline_upserts (id text COLLATE "C" PRIMARY KEY, type text NOT NULL, position bigint NOT NULL)');
  const meter = cpuMeter();
  let position = 0;
  let events = 0;
  let readMs = 0;
  for (;;) {
    const r0 = performance.now();
    const batch = await store.readAll(position, batchSize);
    readMs += performance.now() - r0;
    if (batch.length === 0) break;
    const latest = new Map();
    for (const e of batch) latest.set(e.streamId, { id: e.streamId, type: e.type, position: e.position });
    await client.query(`INSERT INTO baseline_upserts SELECT * FROM json_populate_recordset(NULL::baseline_upserts, $1::json)
      ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, position = EXCLUDED.position`, [JSON.stringify([...latest.values()])]);
    position = batch[batch.length - 1].position;
    events += batch.length;
  }
  const m = meter();
  await client.query('DROP TABLE baseline_upserts');
  await client.end();
  await store.close();
  return { ...m, events, eventsPerSecond: events / m.seconds, readSeconds: readMs / 1000 };
}

async function runRebuild(cluster, opts) {
  const dir = makeTempDir('haitang-bench-pg-log-');
  try {
    const { file, summary } = sqliteLog(dir, opts);
    const url = await createDatabase(cluster, 'bench_rebuild');
    log(`postgres: copying the ${summary.events}-event log into PostgreSQL (not measured)...`);
    const loaded = await loadIntoPostgres(file, url);
    removeTempDir(dir);
    log('postgres: BASELINE raw read + upserts...');
    const baseline = await rebuildBaseline(url, 20_000);
    log('postgres: MEASURED rebuildPostgresReadModels...');
    const { PostgresEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
    const { rebuildPostgresReadModels, PostgresReadModels, orgUnitReport, volunteerHours } = require(join(DIST, 'libs', 'read-store', 'src'));
    const store = await PostgresEventStore.open({ url });
    const meter = cpuMeter();
    const result = await rebuildPostgresReadModels({ url, store });
    const m = meter();
    await store.close();
    // The rebuilt read models against what the generator wrote.
    const models = await PostgresReadModels.open({ url });
    const checks = [];
    const approved = (await models.get(`SELECT coalesce(sum(minutes), 0) AS m, count(*) AS n FROM service_records WHERE status = 'approved'`));
    checks.push(['approved minutes', approved.m, summary.approvedMinutes], ['approved records', approved.n, summary.approvedRecords]);
    checks.push(['checkpoints', (await models.get('SELECT min(position) AS p FROM checkpoints')).p, summary.events]);
    for (const v of summary.sampleVolunteers) checks.push([`hours of ${v.id}`, (await volunteerHours(models, v.id, [100]))?.approvedMinutes, v.approvedMinutes]);
    for (const d of summary.districts) {
      checks.push([`report ${d.name}`, (await orgUnitReport(models, d.id, summary.report, 'child')).total.serviceMinutes, d.reportMinutes]);
    }
    await models.close();
    const mismatches = checks.filter(([, got, want]) => got !== want).map(([what, got, want]) => `${what}: ${got} != ${want}`);
    return {
      log: { events: summary.events, volunteers: opts.logVolunteers, loadSeconds: round(loaded.seconds, 1) },
      rebuildEventsPerSecond: round(result.events / m.seconds),
      seconds: round(m.seconds, 1),
      swapSeconds: round(result.swapSeconds, 2),
      nodeCpuPct: round(m.nodeCpuPct), otherCpuPct: round(m.otherCpuPct),
      baseline: { eventsPerSecond: round(baseline.eventsPerSecond), seconds: round(baseline.seconds, 1), readSeconds: round(baseline.readSeconds, 1) },
      ratio: round(result.events / m.seconds / baseline.eventsPerSecond, 2),
      checked: checks.length, mismatches,
      targets: { eventsPerSecond: TARGETS.rebuildEventsPerSecond },
      pass: { eventsPerSecond: result.events / m.seconds >= TARGETS.rebuildEventsPerSecond },
    };
  } finally {
    removeTempDir(dir);
  }
}

async function run(overrides = {}) {
  requireBuild();
  const opts = options(overrides);
  process.stderr.write('postgres: starting a throwaway cluster (initdb + pg_ctl)...\n');
  const cluster = await startCluster();
  try {
    const eventStore = opts.store ? await runEventStore(cluster, opts) : null;
    const rebuild = opts.rebuild ? await runRebuild(cluster, opts) : null;
    // How the rebuild compares with what the same cluster accepts as plain batched rows (the event-store baseline).
    if (rebuild && eventStore) rebuild.ratioVsBatchedInserts = round(rebuild.rebuildEventsPerSecond / eventStore.batched.rowsPerSecond, 2);
    return { cluster: { version: cluster.version, startedInMs: cluster.startedInMs }, eventStore, rebuild };
  } finally {
    cluster.stop();
  }
}

function print(r) {
  return [
    `PostgreSQL ${r.cluster.version} (throwaway cluster, started in ${fmt(r.cluster.startedInMs)} ms; fsync on, synchronous_commit on)`,
    ...(r.eventStore ? eventStoreLines(r.eventStore) : []),
    ...(r.rebuild ? rebuildLines(r.rebuild) : []),
  ].join('\n');
}

function eventStoreLines(e) {
  return [
    `Event store (${e.options.events} single-event appends, ${e.options.concurrency} concurrent appenders, ${e.options.streams} streams)`,
    `  measured: ${fmt(e.appendsPerSecond)} durable appends/s (p50 ${fmt(e.appendP50Ms, 1)} ms, p99 ${fmt(e.appendP99Ms, 1)} ms; ` +
      `group commit: ${e.groupCommit.groups} groups, mean ${fmt(e.groupCommit.meanSize, 1)}, max ${e.groupCommit.maxSize}, ${e.groupCommit.rewritten} rewritten after a full lookup; ` +
      `CPU: node ${fmt(e.nodeCpuPct)}%, server and other processes ${fmt(e.otherCpuPct)}% of one core)`,
    `  baseline single-row inserts over ${e.options.connections} connections: ${fmt(e.singleRow.rowsPerSecond)} rows/s (server and other processes ${fmt(e.singleRow.otherCpuPct)}%)`,
    `  baseline ${e.batched.rowsPerTransaction}-row inserts over ${e.options.connections} connections: ${fmt(e.batched.rowsPerSecond)} rows/s (server and other processes ${fmt(e.batched.otherCpuPct)}%)`,
    `  ratio appends / single-row: ${fmt(e.ratioVsSingleRow, 2)}`,
    `  ratio appends / batched: ${fmt(e.ratioVsBatched, 2)} (target >= ${e.targets.ratioVsBatched}: ${e.pass.ratioVsBatched ? 'ok' : 'MISSED'})`,
  ];
}

function rebuildLines(b) {
  return [
    `Read models on PostgreSQL: rebuild from a ${b.log.events}-event log (${b.log.volunteers} volunteers; copied into PostgreSQL in ${fmt(b.log.loadSeconds, 1)} s, not measured)`,
    `  measured: ${fmt(b.rebuildEventsPerSecond)} events/s (${fmt(b.seconds, 1)} s, swap ${fmt(b.swapSeconds, 2)} s; CPU: node ${fmt(b.nodeCpuPct)}%, server and other processes ${fmt(b.otherCpuPct)}%) ` +
      `(target >= ${b.targets.eventsPerSecond}: ${b.pass.eventsPerSecond ? 'ok' : 'MISSED'})`,
    `  baseline raw read + one upsert per event: ${fmt(b.baseline.eventsPerSecond)} events/s (${fmt(b.baseline.seconds, 1)} s, of which reading ${fmt(b.baseline.readSeconds, 1)} s); ratio ${fmt(b.ratio, 2)}`,
    ...(b.ratioVsBatchedInserts === undefined ? [] : [
      `  rebuild events/s / batched raw insert rows/s of the event-store baseline (same cluster, same run): ${fmt(b.ratioVsBatchedInserts, 2)}`]),
    `  checked against the generator: ${b.checked} figures, ${b.mismatches.length === 0 ? 'all equal' : `MISMATCHES: ${b.mismatches.join('; ')}`}`,
  ];
}

module.exports = { run, print, TARGETS, measureBaseline, options };

if (require.main === module) require('./support/common').runStandalone(run, print);
