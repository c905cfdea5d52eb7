'use strict';
/**
 * Shared by the read-side benchmarks (read-side.js, scaling.js, cold-start.js): the generated log
 * (cached on request), the read-model rebuild and its raw baseline, and a check of the rebuilt
 * read models against what the generator wrote.
 */
const { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');
const { DIST, machineBusyMs } = require('./common');
const { generateLog, GENERATOR_VERSION } = require('./generate-log');

/** Events per read in the rebuild (rebuildReadModels' default) and in its baseline. */
const REBUILD_BATCH = 1000;

const cpuMsOf = (usage) => (usage.user + usage.system) / 1000;
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * Writes the generated log into dataDir/events.sqlite and answers the generator's summary. With
 * `logCache` (a directory), a log of the same size, seed and generator version is copied from
 * there, and a new one is kept there for later runs.
 */
function prepareLog(dataDir, { logEvents, logVolunteers, seed, logCache }) {
  const file = join(dataDir, 'events.sqlite');
  const key = `events-${logEvents}-volunteers-${logVolunteers}-seed-${seed}-v${GENERATOR_VERSION}`;
  if (logCache) {
    const cached = join(logCache, `${key}.sqlite`);
    const summaryFile = join(logCache, `${key}.json`);
    if (existsSync(cached) && existsSync(summaryFile)) {
      log(`  using the cached log ${cached}`);
      copyFileSync(cached, file);
      return { ...JSON.parse(readFileSync(summaryFile, 'utf8')), cached: true };
    }
  }
  log(`  generating ${logEvents} events, ${logVolunteers} volunteers (seed ${seed}) into ${file}...`);
  let lastPrint = 0;
  const summary = generateLog({
    file, events: logEvents, volunteers: logVolunteers, seed,
    onProgress: ({ written, target }) => {
      if (Date.now() - lastPrint > 5000 || written === target) {
        lastPrint = Date.now();
        log(`    ${written}/${target} events written`);
      }
    },
  });
  if (logCache) {
    mkdirSync(logCache, { recursive: true });
    copyFileSync(file, join(logCache, `${key}.sqlite`));
    writeFileSync(join(logCache, `${key}.json`), JSON.stringify(summary));
  }
  return summary;
}

/** The log's summary figures for the JSON output. */
function logFigures(summary) {
  return {
    events: summary.events, volunteers: summary.volunteerIds.length, activities: summary.activities, serviceRecords: summary.serviceRecords,
    manualRecords: summary.manualRecords, commands: summary.commands, streams: summary.streams, topUp: summary.topUp,
    byType: summary.byType, fileMB: Math.round(summary.fileBytes / 2 ** 20), generationSeconds: Number(summary.seconds.toFixed(1)),
    cached: Boolean(summary.cached), seed: summary.seed,
  };
}

/** Wall time, CPU time of this process and CPU time of every other process, around `work`. */
async function timed(work) {
  const cpu0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsOf(process.cpuUsage(cpu0));
  const otherMs = Math.max(0, machineBusyMs() - machine0 - cpuMs);
  return { value, seconds: wallMs / 1000, cpuSeconds: cpuMs / 1000, cpuPct: (cpuMs / wallMs) * 100, otherCpuPct: (otherMs / wallMs) * 100 };
}

/**
 * BASELINE of the rebuild: a raw read of the same log plus as many raw upserts, loaded the way the
 * rebuild loads its fresh file, so that the difference is the projections' own work:
 *   read   every column of `events` in batches of REBUILD_BATCH (rows as arrays), JSON.parse of
 *          data and metadata into the event shape: what the event store's readAll does;
 *   write  one upsert per event (INSERT OR REPLACE keyed by the stream id, a text key, in a
 *          WITHOUT ROWID table: every later event of a stream replaces its row) into a new file with
 *          the rebuild's pragmas (no journal, synchronous OFF, exclusive lock, 256 MB cache, temp
 *          store in memory), all in one transaction committed at the end, as the rebuild's replay.
 */
async function rawBaseline(eventsFile, dir) {
  const file = join(dir, 'baseline-upserts.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const src = new Database(eventsFile, { readonly: true });
  const dst = new Database(file);
  for (const pragma of ['journal_mode = OFF', 'synchronous = OFF', 'locking_mode = EXCLUSIVE', 'cache_size = -262144', 'temp_store = MEMORY']) dst.pragma(pragma);
  dst.exec('CREATE TABLE upserts (id TEXT PRIMARY KEY, type TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID');
  const read = src.prepare('SELECT position, stream_id, stream_version, event_id, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?').raw();
  const upsert = dst.prepare('INSERT OR REPLACE INTO upserts (id, type, position) VALUES (?, ?, ?)');
  let readMs = 0;
  let events = 0;
  const run = await timed(() => {
    let position = 0;
    dst.exec('BEGIN');
    for (;;) {
      const r0 = performance.now();
      const batch = read.all(position, REBUILD_BATCH).map((row) => ({
        position: row[0], streamId: row[1], streamVersion: row[2], eventId: row[3],
        type: row[4], data: JSON.parse(row[5]), metadata: JSON.parse(row[6]), recordedAt: row[7],
      }));
      readMs += performance.now() - r0;
      if (batch.length === 0) break;
      for (const e of batch) upsert.run(e.streamId, e.type, e.position);
      position = batch[batch.length - 1].position;
      events += batch.length;
    }
    dst.exec('COMMIT');
  });
  const rows = dst.prepare('SELECT count(*) FROM upserts').pluck().get();
  src.close();
  dst.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return {
    events, seconds: run.seconds, eventsPerSecond: events / run.seconds, readSeconds: readMs / 1000, upsertSeconds: run.seconds - readMs / 1000,
    distinctIds: rows, cpuSeconds: run.cpuSeconds, eventsPerCpuSecond: events / run.cpuSeconds, cpuPct: run.cpuPct, otherCpuPct: run.otherCpuPct,
  };
}

/** MEASURED: rebuildReadModels (dist/libs/read-store) over dataDir/events.sqlite into dataDir/readmodels.sqlite, as `npm run rebuild` does. */
async function measureRebuild(dataDir) {
  const { SqliteEventStore } = require(join(DIST, 'libs', 'event-store', 'src'));
  const { rebuildReadModels, ALL_PROJECTIONS } = require(join(DIST, 'libs', 'read-store', 'src'));
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite'), writerThread: false });
  let replayed = 0;
  let replayCpu = null;
  const started = performance.now();
  try {
    const run = await timed(() => rebuildReadModels({
      store,
      readModelsFile: join(dataDir, 'readmodels.sqlite'),
      projections: ALL_PROJECTIONS,
      onProgress: () => {
        replayed = performance.now();
        replayCpu = process.cpuUsage();
      },
    }));
    const swapCpuSeconds = replayCpu ? cpuMsOf(process.cpuUsage(replayCpu)) / 1000 : NaN;
    return {
      events: run.value.events,
      position: run.value.position,
      seconds: run.seconds,
      eventsPerSecond: run.value.events / run.seconds,
      // Replay = reading + applying every batch into the fresh file; the rest is its commit and the swap into the live file.
      replaySeconds: (replayed - started) / 1000,
      swapSeconds: (performance.now() - replayed) / 1000,
      cpuSeconds: run.cpuSeconds,
      swapCpuSeconds,
      eventsPerCpuSecond: run.value.events / run.cpuSeconds,
      cpuPct: run.cpuPct,
      otherCpuPct: run.otherCpuPct,
    };
  } finally {
    await store.close();
  }
}

/**
 * The rebuild and its baseline, back to back in this process: baseline, rebuild, baseline again
 * (the baseline figure is the mean of the two runs around the rebuild, so a machine that gets
 * busier or quieter meanwhile does not favour either side).
 */
async function rebuildAgainstBaseline(dataDir, scratchDir) {
  const eventsFile = join(dataDir, 'events.sqlite');
  log(`  BASELINE raw read (batches of ${REBUILD_BATCH}, JSON.parse) + one upsert per event, one transaction...`);
  const before = await rawBaseline(eventsFile, scratchDir);
  log('  MEASURED rebuildReadModels (dist/libs/read-store) into a new readmodels.sqlite...');
  const rebuild = await measureRebuild(dataDir);
  log('  BASELINE again...');
  const after = await rawBaseline(eventsFile, scratchDir);
  const mean = (f) => (f(before) + f(after)) / 2;
  const baseline = {
    events: before.events,
    seconds: mean((b) => b.seconds),
    readAndParseSeconds: mean((b) => b.readSeconds),
    upsertSeconds: mean((b) => b.upsertSeconds),
    cpuSeconds: mean((b) => b.cpuSeconds),
    distinctIds: before.distinctIds,
    otherCpuPct: mean((b) => b.otherCpuPct),
    runs: [before, after].map((b) => ({ seconds: b.seconds, cpuSeconds: b.cpuSeconds, otherCpuPct: b.otherCpuPct })),
  };
  baseline.eventsPerSecond = baseline.events / baseline.seconds;
  baseline.eventsPerCpuSecond = baseline.events / baseline.cpuSeconds;
  return {
    rebuild,
    baseline,
    ratio: rebuild.eventsPerSecond / baseline.eventsPerSecond,
    cpuRatio: rebuild.eventsPerCpuSecond / baseline.eventsPerCpuSecond,
  };
}

/** What the rebuilt read models hold, against what the generator wrote. */
function checkReadModels(dataDir, summary) {
  const db = new Database(join(dataDir, 'readmodels.sqlite'), { readonly: true });
  try {
    const got = {
      volunteers: db.prepare('SELECT count(*) FROM volunteers').pluck().get(),
      serviceRecords: db.prepare('SELECT count(*) FROM service_records').pluck().get(),
      approvedMinutes: db.prepare(`SELECT coalesce(sum(minutes), 0) FROM service_records WHERE status = 'approved'`).pluck().get(),
      activities: db.prepare('SELECT count(*) FROM activities').pluck().get(),
      checkpoints: db.prepare('SELECT min(position) AS lo, max(position) AS hi FROM checkpoints').get(),
    };
    const expected = {
      volunteers: summary.volunteerIds.length, serviceRecords: summary.serviceRecords, approvedMinutes: summary.approvedMinutes,
      activities: summary.activities, checkpoint: summary.events,
    };
    const ok = got.volunteers === expected.volunteers && got.serviceRecords === expected.serviceRecords
      && got.approvedMinutes === expected.approvedMinutes && got.activities === expected.activities
      && got.checkpoints.lo === summary.events && got.checkpoints.hi === summary.events;
    return { ok, got, expected };
  } finally {
    db.close();
  }
}

module.exports = { REBUILD_BATCH, prepareLog, logFigures, rawBaseline, measureRebuild, rebuildAgainstBaseline, checkReadModels, timed };
