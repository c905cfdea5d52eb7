'use strict';
/**
 * Event-store benchmark: appends/s of SqliteEventStore alone (dist/libs/event-store/src),
 * versus raw better-sqlite3 batched inserts of the same rows.
 *
 *   MEASURED  BENCH_CONCURRENCY (50) async appenders, each awaiting single-event appends
 *             (a VolunteerCheckedIn.v1 event with full metadata) to a random stream out of
 *             BENCH_STREAMS (1000), expectedVersion 'any', until BENCH_EVENTS (100000) in total.
 *             The store's group commit batches whatever is queued when the event loop turns;
 *             the group sizes are observed (not changed) by wrapping its flush().
 *   BASELINE  the same number of rows, generated the same way, inserted with one prepared
 *             INSERT into the same schema (migrateEventsDatabase: unique (stream_id,
 *             stream_version), unique event_id), same pragmas (WAL, synchronous=FULL),
 *             in transactions of the mean group size the store achieved (BENCH_BASELINE_BATCH overrides).
 *             Stream versions are tracked in memory, no reads.
 *
 * Usage: npm run build && node bench/event-store.js
 */
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const Database = require('better-sqlite3');
const { DIST, requireBuild, makeTempDir, removeTempDir, percentile, round, fmt, killAllSync, machineBusyMs } = require('./support/common');

const TARGETS = { ratio: 0.7 };

function options(overrides = {}) {
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  return {
    events: num('BENCH_EVENTS', 100_000),
    concurrency: num('BENCH_CONCURRENCY', 50),
    streams: num('BENCH_STREAMS', 1000),
    baselineBatch: num('BENCH_BASELINE_BATCH', 0),
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
    metadata: {
      eventId, commandId, correlationId: commandId, causationId: commandId, actor: ACTOR, occurredAt: now, recordedAt: now,
    },
  };
}

function streamIds(count) {
  return Array.from({ length: count }, () => randomUUID());
}

async function measureStore(dir, opts) {
  const { SqliteEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
  const store = new SqliteEventStore({ file: join(dir, 'store.sqlite') });
  // Group sizes come from the store's own public statistics (groupStats).
  const activities = streamIds(opts.streams);
  const latencies = new Float64Array(opts.events);
  let next = 0;
  const appender = async () => {
    while (next < opts.events) {
      const i = next++;
      const activityId = activities[Math.floor(Math.random() * activities.length)];
      const event = makeEvent(activityId);
      const t = process.hrtime.bigint();
      await store.append([{ streamId: `activity-${activityId}`, expectedVersion: 'any', events: [event] }]);
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
    }
  };
  const cpu0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: opts.concurrency }, appender));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const otherMs = machineBusyMs() - machine0 - (cpu.user + cpu.system) / 1000;
  const head = await store.headPosition();
  await store.close();
  if (head !== opts.events) throw new Error(`event store: expected ${opts.events} events, head is ${head}`);
  const sortedLat = Array.from(latencies).sort((a, b) => a - b);
  const stats = store.groupStats;
  return {
    seconds,
    perSecond: opts.events / seconds,
    cpuPct: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
    otherCpuPct: Math.max(0, (otherMs / (seconds * 1000)) * 100),
    appendP50Ms: percentile(sortedLat, 50),
    appendP99Ms: percentile(sortedLat, 99),
    groups: stats.groups,
    meanGroup: stats.groups ? stats.appends / stats.groups : NaN,
    p50Group: null,
    maxGroup: stats.largest,
  };
}

function measureBaseline(dir, opts, batch) {
  const { migrateEventsDatabase } = require(join(DIST, 'libs', 'event-store', 'src', 'sqlite', 'schema.js'));
  const db = new Database(join(dir, 'baseline.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrateEventsDatabase(db);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const insert = db.prepare(
    'INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const activities = streamIds(opts.streams);
  const versions = new Map();
  const cpu0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < opts.events;) {
    const n = Math.min(batch, opts.events - done);
    begin.run();
    const recordedAt = new Date().toISOString();
    for (let j = 0; j < n; j++) {
      const activityId = activities[Math.floor(Math.random() * activities.length)];
      const streamId = `activity-${activityId}`;
      const event = makeEvent(activityId);
      const version = (versions.get(streamId) ?? -1) + 1;
      versions.set(streamId, version);
      insert.run(streamId, version, event.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
    }
    commit.run();
    done += n;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const otherMs = machineBusyMs() - machine0 - (cpu.user + cpu.system) / 1000;
  const count = db.prepare('SELECT count(*) FROM events').pluck().get();
  db.close();
  if (count !== opts.events) throw new Error(`baseline: expected ${opts.events} rows, found ${count}`);
  return {
    seconds, perSecond: opts.events / seconds, batch, transactions: Math.ceil(opts.events / batch),
    cpuPct: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
    otherCpuPct: Math.max(0, (otherMs / (seconds * 1000)) * 100),
  };
}

async function run(overrides = {}) {
  requireBuild();
  const opts = options(overrides);
  const dir = makeTempDir('haitang-bench-store-');
  try {
    process.stderr.write(`event store: MEASURED SqliteEventStore, ${opts.events} single-event appends, ${opts.concurrency} appenders...\n`);
    const store = await measureStore(dir, opts);
    const batch = opts.baselineBatch > 0 ? opts.baselineBatch : Number.isFinite(store.meanGroup) ? Math.max(1, Math.round(store.meanGroup)) : 100;
    process.stderr.write(`event store: BASELINE raw better-sqlite3, ${opts.events} rows in transactions of ${batch}...\n`);
    const baseline = measureBaseline(dir, opts, batch);
    const ratio = store.perSecond / baseline.perSecond;
    return {
      options: { events: opts.events, concurrency: opts.concurrency, streams: opts.streams },
      appendsPerSecond: round(store.perSecond, 0),
      seconds: round(store.seconds, 2),
      appendP50Ms: round(store.appendP50Ms, 2),
      appendP99Ms: round(store.appendP99Ms, 2),
      cpuPct: round(store.cpuPct, 0),
      otherProcessesCpuPct: round(store.otherCpuPct, 0),
      cpuMicrosPerAppend: round((store.cpuPct / 100) * store.seconds * 1e6 / opts.events, 1),
      groupCommit: { groups: store.groups, meanSize: round(store.meanGroup, 1), p50Size: store.p50Group, maxSize: store.maxGroup },
      baseline: {
        rowsPerSecond: round(baseline.perSecond, 0),
        seconds: round(baseline.seconds, 2),
        rowsPerTransaction: baseline.batch,
        transactions: baseline.transactions,
        cpuPct: round(baseline.cpuPct, 0),
        otherProcessesCpuPct: round(baseline.otherCpuPct, 0),
        cpuMicrosPerRow: round((baseline.cpuPct / 100) * baseline.seconds * 1e6 / opts.events, 1),
      },
      ratio: round(ratio, 3),
      targets: { ratio: TARGETS.ratio },
      pass: { ratio: ratio >= TARGETS.ratio },
    };
  } finally {
    removeTempDir(dir);
  }
}

function print(r) {
  return [
    `Event store (${r.options.events} single-event appends, ${r.options.concurrency} concurrent appenders, ${r.options.streams} streams)`,
    `  measured: ${fmt(r.appendsPerSecond)} appends/s (append p50 ${fmt(r.appendP50Ms, 1)} ms, p99 ${fmt(r.appendP99Ms, 1)} ms; ` +
      `group commit: ${r.groupCommit.groups} groups, mean ${fmt(r.groupCommit.meanSize, 1)}, max ${r.groupCommit.maxSize}; CPU ${fmt(r.cpuPct)}% of one core = ${fmt(r.cpuMicrosPerAppend, 1)} µs/append, other processes ${fmt(r.otherProcessesCpuPct)}%)`,
    `  baseline: ${fmt(r.baseline.rowsPerSecond)} rows/s (raw better-sqlite3, ${r.baseline.rowsPerTransaction} rows/transaction, CPU ${fmt(r.baseline.cpuPct)}% of one core = ${fmt(r.baseline.cpuMicrosPerRow, 1)} µs/row, other processes ${fmt(r.baseline.otherProcessesCpuPct)}%)`,
    `  ratio measured/baseline: ${fmt(r.ratio, 2)} (target >= ${r.targets.ratio}: ${r.pass.ratio ? 'ok' : 'MISSED'})`,
  ].join('\n');
}

module.exports = { run, print, TARGETS };

if (require.main === module) require('./support/common').runStandalone(run, print);
