'use strict';
/**
 * Scaling of the read side: the same figures on generated logs of growing size (bench/support/
 * generate-log.js; full profile: 10 000 events / 1 000 volunteers, 100 000 / 10 000, 1 000 000 /
 * 100 000; short profile: 10 000 / 1 000, 50 000 / 5 000, 200 000 / 20 000), side by side, with the
 * growth from the smallest to the largest:
 *
 *   rebuild        events/s against its raw read + upsert baseline (bench/support/read-models.js)
 *   files          events.sqlite and readmodels.sqlite sizes
 *   cold start     spawn → /health 200 and → first query 200 (bench/cold-start.js, median of a few
 *                  starts, with the NestJS validate-only app's /health as baseline)
 *   hours          GET /volunteers/<random>/hours: 1 connection (unloaded) p50 / p99, and 50
 *                  connections p99, req/s and server CPU per request
 *   reports        a district over one year: answered from the report cache (1 connection) and
 *                  computed (cache misses, 1 connection, distinct ranges); the district dashboard
 *   RSS            peak (VmHWM) of the server process
 *
 * Every log covers the same two years, so a larger log is a denser one: a district's year holds
 * 100 times more records at 1M events than at 10k. Per-volunteer answers (hours) should stay flat;
 * a computed report over a fixed range grows with the records in the range (it sums them), and a
 * cached one stays flat.
 *
 * Usage: npm run build && node bench/scaling.js
 * Env: BENCH_PROFILE (full), BENCH_SCALING_SIZES (e.g. "10000:1000,100000:10000"), BENCH_SECONDS (3 per
 *      loaded run), BENCH_COLD_RUNS (3 / 2), BENCH_MISSES (8), BENCH_LOG_SEED, BENCH_LOG_CACHE (see read-side.js).
 */
const { statSync } = require('node:fs');
const { join } = require('node:path');
const {
  DIST, requireBuild, startServer, makeTempDir, removeTempDir, round, fmt, installCleanupHooks, benchAdminEnv, authorize, withHeaders,
} = require('./support/common');
const { prepareLog, rebuildAgainstBaseline, checkReadModels } = require('./support/read-models');
const { measureRoute, measureMisses, waitIdle } = require('./read-side');
const { measureColdStart } = require('./cold-start');
const { load } = require('./write-path');

const PROFILES = {
  short: { sizes: [[10_000, 1000], [50_000, 5000], [200_000, 20_000]], coldRuns: 2 },
  full: { sizes: [[10_000, 1000], [100_000, 10_000], [1_000_000, 100_000]], coldRuns: 3 },
};

function options(overrides = {}) {
  const profile = overrides.profile ?? process.env.BENCH_PROFILE ?? 'full';
  const base = PROFILES[profile];
  if (!base) throw new Error(`BENCH_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got "${profile}"`);
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  const sizes = process.env.BENCH_SCALING_SIZES
    ? process.env.BENCH_SCALING_SIZES.split(',').map((pair) => pair.split(':').map(Number))
    : base.sizes;
  const opts = {
    profile,
    sizes,
    seconds: num('BENCH_SCALING_SECONDS', 3),
    warmupSeconds: 1,
    connections: num('BENCH_CONNECTIONS', 50),
    coldRuns: num('BENCH_COLD_RUNS', base.coldRuns),
    misses: num('BENCH_MISSES', 8),
    seed: num('BENCH_LOG_SEED', 20261125),
    logCache: process.env.BENCH_LOG_CACHE || null,
    logLevel: process.env.LOG_LEVEL ?? 'info',
    /** { [events]: { dataDir, summary, rebuild } }: a size already prepared (by read-side.js in bench/run.js). */
    reuse: {},
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) opts[k] = v;
  return opts;
}

const log = (line) => process.stderr.write(`${line}\n`);
const fileMB = (file) => round(statSync(file).size / 2 ** 20, 1);

/** Every figure of one size. */
async function measureSize(events, volunteers, opts) {
  const reused = opts.reuse[events];
  const dataDir = reused?.dataDir ?? makeTempDir('haitang-bench-scaling-');
  const scratchDir = makeTempDir('haitang-bench-scaling-baseline-');
  let server;
  try {
    let summary;
    let rebuild;
    if (reused) {
      log(`scaling: ${events} events (the read side's data dir)`);
      ({ summary, rebuild } = reused);
    } else {
      log(`scaling: ${events} events, ${volunteers} volunteers`);
      summary = prepareLog(dataDir, { logEvents: events, logVolunteers: volunteers, seed: opts.seed, logCache: opts.logCache });
      const r = await rebuildAgainstBaseline(dataDir, scratchDir);
      const check = checkReadModels(dataDir, summary);
      if (!check.ok) log(`  WARNING: the rebuilt read models do not match the log: ${JSON.stringify(check)}`);
      rebuild = {
        eventsPerSecond: round(r.rebuild.eventsPerSecond, 0), seconds: round(r.rebuild.seconds, 2), eventsPerCpuSecond: round(r.rebuild.eventsPerCpuSecond, 0),
        baseline: { eventsPerSecond: round(r.baseline.eventsPerSecond, 0), eventsPerCpuSecond: round(r.baseline.eventsPerCpuSecond, 0) },
        ratio: round(r.ratio, 3), cpuRatio: round(r.cpuRatio, 3), check,
      };
    }
    const files = { eventsMB: fileMB(join(dataDir, 'events.sqlite')), readModelsMB: fileMB(join(dataDir, 'readmodels.sqlite')) };

    log('  cold start');
    const cold = await measureColdStart(dataDir, summary, { runs: opts.coldRuns, logLevel: opts.logLevel });

    server = await startServer({
      name: 'haitang',
      script: join(DIST, 'apps', 'haitang', 'src', 'main.js'),
      env: { HAITANG_DATA_DIR: dataDir, HAITANG_LOG_REQUESTS: 'false', LOG_LEVEL: opts.logLevel, ...benchAdminEnv() },
      timeoutMs: 180_000,
    });
    await authorize(server);
    const ids = summary.volunteerIds;
    const get = (name, pathOf) => ({ name, requests: [{ method: 'GET', setupRequest(req) { req.path = pathOf(); return req; } }] });
    log('  hours');
    const hours = await measureRoute(server, get('hours', () => `/api/v1/volunteers/${ids[Math.floor(Math.random() * ids.length)]}/hours`), opts);
    log('  reports and dashboards, computed');
    const misses = await measureMisses(server, summary, { misses: opts.misses });
    log('  report, from the cache');
    const district = summary.districts[0].id;
    const cachedReport = get('report', () => `/api/v1/org-units/${district}/report?from=2025-11-01&to=2026-10-31&groupBy=child`);
    await waitIdle(server);
    const cached = await load(server, { seconds: opts.seconds, connections: 1, requests: withHeaders(server, cachedReport.requests) });
    const hwm = Number(/^VmHWM:\s+(\d+) kB/m.exec(require('node:fs').readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    const miss = (route) => misses.find((m) => m.route === route);
    return {
      size: events,
      events: summary.head ?? summary.events,
      volunteers: ids.length,
      serviceRecords: summary.serviceRecords,
      rebuild,
      files,
      coldStart: { healthMs: cold.healthMs, firstQueryMs: cold.firstQueryMs, nestHealthMs: cold.baselines.nestValidateOnlyMs, rssAtFirstAnswerMB: cold.rssAtFirstAnswerMB },
      hours: {
        oneConnection: hours.oneConnection,
        p99Ms: hours.p99Ms, requestsPerSecond: hours.requestsPerSecond, serverCpuMsPerRequest: hours.serverCpuMsPerRequest,
        otherProcessesCpuPct: hours.otherProcessesCpuPct,
      },
      reportCached: { p50Ms: round(cached.p50, 2), p99Ms: round(cached.p99, 2), requestsPerSecond: round(cached.perSecond, 0) },
      computed: {
        child: miss('report groupBy=child'), category: miss('report groupBy=category'), month: miss('report groupBy=month'),
        group: miss('report groupBy=group'), dashboard: miss('dashboard'),
      },
      peakRssMB: round(hwm, 0),
    };
  } finally {
    if (server) await server.stop();
    removeTempDir(scratchDir);
    if (!reused) removeTempDir(dataDir);
  }
}

async function run(overrides = {}) {
  requireBuild();
  installCleanupHooks();
  const opts = options(overrides);
  const levels = [];
  for (const [events, volunteers] of opts.sizes) levels.push(await measureSize(events, volunteers, opts));
  return { options: { ...opts, reuse: Object.keys(opts.reuse) }, levels };
}

/** [label, value of a level as text, numeric value for the growth column (or null)] */
const FIGURES = [
  ['events / volunteers / service records', (l) => `${l.events} / ${l.volunteers} / ${l.serviceRecords}`, null],
  ['rebuild events/s (wall)', (l) => fmt(l.rebuild.eventsPerSecond), (l) => l.rebuild.eventsPerSecond],
  ['rebuild baseline events/s (raw read + upserts)', (l) => fmt(l.rebuild.baseline.eventsPerSecond), (l) => l.rebuild.baseline.eventsPerSecond],
  ['rebuild / baseline (wall; CPU)', (l) => `${fmt(l.rebuild.ratio, 2)}; ${fmt(l.rebuild.cpuRatio, 2)}`, null],
  ['events.sqlite / readmodels.sqlite (MB)', (l) => `${fmt(l.files.eventsMB, 1)} / ${fmt(l.files.readModelsMB, 1)}`, (l) => l.files.readModelsMB],
  ['cold start → /health 200 (ms; NestJS alone)', (l) => `${fmt(l.coldStart.healthMs)} (${fmt(l.coldStart.nestHealthMs)})`, (l) => l.coldStart.healthMs],
  ['cold start → first query 200 (ms)', (l) => fmt(l.coldStart.firstQueryMs), (l) => l.coldStart.firstQueryMs],
  ['hours, 1 connection p50 / p99 (ms)', (l) => `${fmt(l.hours.oneConnection.p50Ms, 2)} / ${fmt(l.hours.oneConnection.p99Ms, 2)}`, (l) => l.hours.oneConnection.p50Ms],
  ['hours, 50 connections p99 (ms)', (l) => fmt(l.hours.p99Ms, 1), (l) => l.hours.p99Ms],
  ['hours, 50 connections req/s', (l) => fmt(l.hours.requestsPerSecond), (l) => l.hours.requestsPerSecond],
  ['hours, server CPU per request (ms)', (l) => fmt(l.hours.serverCpuMsPerRequest, 3), (l) => l.hours.serverCpuMsPerRequest],
  ['district year report, cached, 1 connection p50 (ms)', (l) => fmt(l.reportCached.p50Ms, 2), (l) => l.reportCached.p50Ms],
  ...['child', 'category', 'month', 'group'].map((g) => [`district year report groupBy=${g}, computed p50 (ms)`, (l) => fmt(l.computed[g].p50Ms, 1), (l) => l.computed[g].p50Ms]),
  ['district month dashboard, computed p50 (ms)', (l) => fmt(l.computed.dashboard.p50Ms, 1), (l) => l.computed.dashboard.p50Ms],
  ['server RSS peak (MB)', (l) => fmt(l.peakRssMB), (l) => l.peakRssMB],
];

function table(r) {
  const { levels } = r;
  const label = (n) => (n >= 1e6 ? `${Number((n / 1e6).toFixed(1))}M` : `${Math.round(n / 1000)}k`);
  const head = `| Figure | ${levels.map((l) => `${label(l.size ?? l.events)} events`).join(' | ')} | largest / smallest |`;
  const rows = [head, `|---|${levels.map(() => '---:').join('|')}|---:|`];
  for (const [label, text, value] of FIGURES) {
    const growth = value ? value(levels[levels.length - 1]) / value(levels[0]) : null;
    rows.push(`| ${label} | ${levels.map(text).join(' | ')} | ${growth === null || !Number.isFinite(growth) ? '' : `× ${fmt(growth, growth < 10 ? 2 : 0)}`} |`);
  }
  return rows.join('\n');
}

function print(r) {
  return `Scaling of the read side (same two years, denser logs):\n${table(r)}`;
}

module.exports = { run, print, table, PROFILES };

if (require.main === module) require('./support/common').runStandalone(run, print);
