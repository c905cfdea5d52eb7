'use strict';
/**
 * Read-side benchmark on a realistic log (bench/support/generate-log.js): 100 000 volunteers and
 * 1 000 000 events over two years, 2 districts / 10 streets / 100 communities (short profile:
 * 20 000 volunteers, 200 000 events).
 *
 *   1. REBUILD    rebuildReadModels (dist/libs/read-store) over the log into a new read-model
 *                 file: events/s. BASELINE in the same run, just before and just after (mean): a
 *                 raw read of the same log plus as many raw upserts, loaded the way the rebuild
 *                 loads its fresh file (bench/support/read-models.js). Targets: ≥ 0.5 × baseline
 *                 and ≥ 50 000 events/s.
 *   2. COLD START the standalone app (node dist/apps/haitang/src/main.js) on a data dir holding
 *                 the log and the rebuilt read models (so it starts caught up): spawn → /health 200.
 *                 (bench/cold-start.js measures it against baselines.)
 *   3. QUERIES    autocannon, 50 connections, BENCH_SECONDS each (after a discarded warm-up):
 *                 GET /api/v1/volunteers/<random of all>/hours (target p99 ≤ 10 ms), also on two
 *                 BASELINE servers started for it (the same GET answered with a constant by the
 *                 framework alone: NestJS + the app's pipes, and bare Fastify), and
 *                 GET /api/v1/org-units/<district>/report?from=2025-11-01&to=2026-10-31&groupBy=
 *                 child | category | month | group (target p99 ≤ 50 ms), and the district
 *                 dashboard for 2026-10 (no target). Also a 1-connection run of each (unloaded latency).
 *   4. CACHE MISS every report grouping and the dashboard, one connection, each request for a
 *                 unit and range (or month) not asked before, so each is computed: one year of a
 *                 district (ranges starting 2025-09-02 .. 2025-11-01), the 12 months of each district.
 *   5. LAG        POST /api/v1/service-records at 50 connections for BENCH_SECONDS (as write-path.js's
 *                 service-record scenario) while a poller asks GET /api/v1/volunteers/:id/hours every
 *                 5 ms for `projectedPosition`; a command's lag is the time from its 2xx answer to the
 *                 first poll answer with projectedPosition >= its position (every command is
 *                 sampled; an upper bound, within one poll round trip). Target p99 ≤ 1 s.
 *   6. RSS        VmRSS of the server process (all its threads) sampled every 100 ms from start to
 *                 stop, and its VmHWM (kernel's peak) at the end. Target ≤ 400 MB.
 *
 * Usage: npm run build && node bench/read-side.js          (BENCH_PROFILE=short for the short one)
 * Env: BENCH_PROFILE (full), BENCH_SECONDS (10 / 5), BENCH_WARMUP_SECONDS (2 / 1), BENCH_CONNECTIONS (50),
 *      BENCH_LOG_EVENTS (1000000 / 200000), BENCH_LOG_VOLUNTEERS (100000 / 20000), BENCH_LOG_SEED (20261125),
 *      BENCH_LOG_CACHE (unset): a directory where the generated log is kept and reused by later runs
 *      with the same size and seed, BENCH_KEEP_DATA=1: keep the data dir (events + read models) and
 *      print its path, BENCH_MISSES (20 / 10): computed reports per grouping, LOG_LEVEL (info),
 *      BENCH_READ_ONLY_REBUILD=1: stop after the rebuild and its baseline (no app started; alone only).
 */
const { readFileSync } = require('node:fs');
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const {
  DIST, requireBuild, startServer, makeTempDir, removeTempDir, keepTempDir, percentile, round, fmt, installCleanupHooks,
  shanghaiToday, sleep, benchAdminEnv, authorize, withHeaders,
} = require('./support/common');
const { load } = require('./write-path');
const { prepareLog, logFigures, rebuildAgainstBaseline, checkReadModels } = require('./support/read-models');

const TARGETS = {
  rebuildRatio: 0.5, rebuildEventsPerSecond: 50_000, hoursP99Ms: 10, reportP99Ms: 50, lagP99Ms: 1000, rssMB: 400,
};
const PROFILES = {
  short: { seconds: 5, warmupSeconds: 1, logEvents: 200_000, logVolunteers: 20_000, misses: 10 },
  full: { seconds: 10, warmupSeconds: 2, logEvents: 1_000_000, logVolunteers: 100_000, misses: 20 },
};
const REPORT_GROUPINGS = ['child', 'category', 'month', 'group'];
const DASHBOARD_PERIOD = '2026-10';

function options(overrides = {}) {
  const profileName = overrides.profile ?? process.env.BENCH_PROFILE ?? 'full';
  const base = PROFILES[profileName];
  if (!base) throw new Error(`BENCH_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got "${profileName}"`);
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  const opts = {
    profile: profileName,
    seconds: num('BENCH_SECONDS', base.seconds),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', base.warmupSeconds),
    connections: num('BENCH_CONNECTIONS', 50),
    logEvents: num('BENCH_LOG_EVENTS', base.logEvents),
    logVolunteers: num('BENCH_LOG_VOLUNTEERS', base.logVolunteers),
    seed: num('BENCH_LOG_SEED', 20261125),
    logCache: process.env.BENCH_LOG_CACHE || null,
    misses: num('BENCH_MISSES', base.misses),
    keepData: process.env.BENCH_KEEP_DATA === '1',
    onlyRebuild: process.env.BENCH_READ_ONLY_REBUILD === '1',
    logLevel: process.env.LOG_LEVEL ?? 'info',
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) opts[k] = v;
  return opts;
}

const log = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------
// RSS of the server process

class RssSampler {
  constructor(pid, everyMs = 100) {
    this.pid = pid;
    this.phase = 'start';
    this.max = {};
    this.overall = 0;
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
    this.sample();
  }

  status() {
    try {
      const text = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field) => Number((text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm')) ?? [])[1] ?? NaN);
      return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
    } catch {
      return { rssMB: NaN, hwmMB: NaN };
    }
  }

  sample() {
    const { rssMB } = this.status();
    if (!Number.isFinite(rssMB)) return;
    this.max[this.phase] = Math.max(this.max[this.phase] ?? 0, rssMB);
    this.overall = Math.max(this.overall, rssMB);
  }

  enter(phase) {
    this.sample();
    this.phase = phase;
    this.sample();
  }

  stop() {
    this.sample();
    const { hwmMB } = this.status();
    clearInterval(this.timer);
    return { maxSampledMB: this.overall, peakHwmMB: hwmMB, byPhaseMB: Object.fromEntries(Object.entries(this.max).map(([k, v]) => [k, round(v, 0)])) };
  }
}

// ---------------------------------------------------------------------------
// 3. Queries

async function getJson(url, headers = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/** Checks over HTTP that the app serves what the generator wrote (so the latencies are of real answers). */
async function checkAnswers(baseUrl, summary, headers) {
  const problems = [];
  for (const v of summary.sampleVolunteers) {
    const hours = await getJson(`${baseUrl}/api/v1/volunteers/${v.id}/hours`, headers);
    if (hours.approvedMinutes !== v.approvedMinutes) problems.push(`volunteer ${v.id}: ${hours.approvedMinutes} approved minutes, expected ${v.approvedMinutes}`);
    if (hours.projectedPosition !== summary.events) problems.push(`projectedPosition ${hours.projectedPosition}, expected ${summary.events} (not caught up at start)`);
  }
  for (const d of summary.districts) {
    for (const groupBy of REPORT_GROUPINGS) {
      const report = await getJson(`${baseUrl}/api/v1/org-units/${d.id}/report?from=${summary.report.from}&to=${summary.report.to}&groupBy=${groupBy}`, headers);
      const rowsMinutes = report.rows.reduce((s, r) => s + r.serviceMinutes, 0);
      if (report.total.serviceMinutes !== d.reportMinutes || rowsMinutes !== d.reportMinutes) {
        problems.push(`${d.name} report groupBy=${groupBy}: total ${report.total.serviceMinutes}, rows ${rowsMinutes}, expected ${d.reportMinutes}`);
      }
    }
  }
  return { ok: problems.length === 0, problems };
}

function queryRoutes(summary) {
  const ids = summary.volunteerIds;
  const districts = summary.districts.map((d) => d.id);
  const { from, to } = summary.report;
  const route = (name, target, pathOf) => ({
    name,
    target,
    requests: [{ method: 'GET', setupRequest(req) { req.path = pathOf(); return req; } }],
  });
  let n = 0;
  const district = () => districts[n++ % districts.length];
  return [
    route('hours', TARGETS.hoursP99Ms, () => `/api/v1/volunteers/${ids[Math.floor(Math.random() * ids.length)]}/hours`),
    ...REPORT_GROUPINGS.map((g) => route(`report groupBy=${g}`, TARGETS.reportP99Ms,
      () => `/api/v1/org-units/${district()}/report?from=${from}&to=${to}&groupBy=${g}`)),
    route(`dashboard ${DASHBOARD_PERIOD}`, null, () => `/api/v1/org-units/${district()}/dashboard?period=${DASHBOARD_PERIOD}`),
  ];
}

/**
 * Waits until the server has used < 10 % of a core for 200 ms: when autocannon stops, the server
 * still works off the requests it had already received (50 slow reports can take seconds), which
 * would otherwise count against the next run.
 */
async function waitIdle(server, maxMs = 60_000) {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const c0 = server.cpuMs();
    await sleep(200);
    if (server.cpuMs() - c0 < 20 || Date.now() > deadline) return;
  }
}

/** One route on one server: a 1-connection run (unloaded latency, also a warm-up), a discarded warm-up, the measured run. */
async function measureRoute(server, route, opts) {
  await waitIdle(server);
  const requests = withHeaders(server, route.requests);
  const single = await load(server, { seconds: Math.max(1, opts.warmupSeconds), connections: 1, requests });
  if (opts.warmupSeconds > 0) await load(server, { seconds: opts.warmupSeconds, connections: opts.connections, requests });
  await waitIdle(server);
  log(`  GET ${route.name} on ${server.name}: ${opts.seconds} s with ${opts.connections} connections...`);
  const cpu0 = server.cpuMs();
  const m = await load(server, { seconds: opts.seconds, connections: opts.connections, requests });
  // Server CPU per answer, including the requests still queued when the run stopped.
  await waitIdle(server);
  const serverCpuMs = server.cpuMs() - cpu0;
  return {
    requestsPerSecond: round(m.perSecond, 0),
    p50Ms: round(m.p50, 2),
    p99Ms: round(m.p99, 2),
    maxMs: round(m.max, 2),
    answers: m.ok,
    non2xx: m.non2xx,
    errors: m.errors,
    statusCounts: m.statusCounts,
    serverCpuPct: round(m.serverCpuPct, 0),
    loadGeneratorCpuPct: round(m.loadGenCpuPct, 0),
    otherProcessesCpuPct: round(m.otherCpuPct, 0),
    // Every request sent was handled (those still in flight at the end too, before waitIdle returned).
    serverCpuMsPerRequest: round(serverCpuMs / Math.max(m.ok, m.sent ?? 0), 3),
    oneConnection: { requestsPerSecond: round(single.perSecond, 0), p50Ms: round(single.p50, 2), p99Ms: round(single.p99, 2) },
  };
}

/**
 * Every route under load. The hours route is measured first on the BASELINE servers (the same GET
 * answered with a constant by NestJS with the app's pipes, and by bare Fastify), right before the
 * real app, so that its p99 can be read against what the framework alone gives on this machine.
 */
async function measureQueries(server, summary, opts, baselines) {
  const results = [];
  for (const r of queryRoutes(summary)) {
    const compared = {};
    if (r.name === 'hours') {
      for (const [name, baseline] of Object.entries(baselines)) compared[name] = await measureRoute(baseline, r, opts);
    }
    const m = await measureRoute(server, r, opts);
    results.push({
      route: r.name,
      ...m,
      targetP99Ms: r.target,
      pass: r.target === null ? null : m.p99Ms <= r.target && m.non2xx === 0,
      ...(Object.keys(compared).length > 0 ? {
        baselines: compared,
        ratioToBaseline: Object.fromEntries(Object.entries(compared).map(([name, b]) => [name, round(m.requestsPerSecond / b.requestsPerSecond, 3)])),
      } : {}),
    });
  }
  return results;
}

/**
 * Computed answers (cache misses): one connection, each request for a unit and range never asked
 * before. Reports: one year of a district, the range starting on one of the 61 days 2025-09-02 ..
 * 2025-11-01 (the districts alternately), so each covers a full year of the log; dashboards: the
 * 12 months 2025-11 .. 2026-10 of each district. The x-figures-cache header confirms each was computed.
 */
async function measureMisses(server, summary, opts) {
  const districts = summary.districts.map((d) => d.id);
  const day = (offset) => new Date(Date.UTC(2025, 10, 1) + offset * 86_400_000).toISOString().slice(0, 10);
  const kinds = [
    ...REPORT_GROUPINGS.map((g) => ({
      name: `report groupBy=${g}`,
      path: (k) => `/api/v1/org-units/${districts[k % districts.length]}/report?from=${day(-Math.floor(k / districts.length) - 1)}&to=${day(364 - Math.floor(k / districts.length) - 1)}&groupBy=${g}`,
      count: Math.min(opts.misses, 60 * districts.length),
    })),
    {
      name: 'dashboard',
      path: (k) => `/api/v1/org-units/${districts[k % districts.length]}/dashboard?period=${day(31 * Math.floor(k / districts.length)).slice(0, 7)}`,
      count: Math.min(opts.misses, 12 * districts.length),
    },
  ];
  const results = [];
  for (const kind of kinds) {
    await waitIdle(server);
    const latencies = [];
    let hits = 0;
    const cpu0 = server.cpuMs();
    for (let k = 0; k < kind.count; k++) {
      const t0 = performance.now();
      const res = await fetch(server.baseUrl + kind.path(k), { headers: server.headers });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (!res.ok) throw new Error(`GET ${kind.path(k)} answered ${res.status}`);
      if (res.headers.get('x-figures-cache') !== 'miss') hits += 1;
    }
    const serverCpuMs = server.cpuMs() - cpu0;
    latencies.sort((a, b) => a - b);
    results.push({
      route: kind.name, requests: kind.count, notComputed: hits,
      p50Ms: round(percentile(latencies, 50), 1), p99Ms: round(percentile(latencies, 99), 1), maxMs: round(latencies[latencies.length - 1], 1),
      serverCpuMsPerRequest: round(serverCpuMs / kind.count, 1),
    });
    log(`  ${kind.name}, computed: p50 ${fmt(percentile(latencies, 50), 1)} ms over ${kind.count} requests`);
  }
  return results;
}

// ---------------------------------------------------------------------------
// 4. Projection lag under writes

const DESCRIPTIONS = ['入户探访独居老人，协助整理药品并检查燃气安全', '小区垃圾分类桶站值守，指导居民正确投放', '陪同行动不便的老人到苏大附一院复诊取药'];

async function measureLag(server, summary, opts) {
  const ids = summary.volunteerIds;
  const communities = summary.communities;
  const serviceDate = shanghaiToday();
  const tag = randomUUID().slice(0, 8);
  const pending = []; // { position, t }
  const lags = [];
  const lowerBounds = [];
  let track = false;
  const writeRequests = (prefix) => {
    let k = 0;
    return [{
      method: 'POST',
      path: '/api/v1/service-records',
      headers: { 'content-type': 'application/json', ...server.headers },
      setupRequest(req) {
        const i = k++;
        req.body = JSON.stringify({
          volunteerId: ids[Math.floor(Math.random() * ids.length)],
          orgUnitId: communities[Math.floor(Math.random() * communities.length)],
          category: 'other',
          serviceDate,
          minutes: 30 + Math.floor(Math.random() * 211),
          description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]}（第 ${i} 次）`,
        });
        req.headers = { ...req.headers, 'idempotency-key': `${tag}-${prefix}-${i}` };
        return req;
      },
      onResponse(status, body) {
        if (!track || status < 200 || status >= 300) return;
        const t = performance.now();
        try {
          pending.push({ position: JSON.parse(body).position, t, lowerBound: t });
        } catch { /* not JSON: not counted */ }
      },
    }];
  };

  // The poller: every 5 ms (at most 4 in flight), one hours query; its projectedPosition resolves every
  // sampled command at or below it. Lag = answer of that poll - answer of the command (upper bound).
  const pollUrl = `${server.baseUrl}/api/v1/volunteers/${ids[0]}/hours`;
  let inFlight = 0;
  let polls = 0;
  let pollRttMs = 0;
  const poll = async () => {
    if (inFlight >= 4 || pending.length === 0) return;
    inFlight += 1;
    const sent = performance.now();
    try {
      const res = await fetch(pollUrl, { headers: server.headers });
      const { projectedPosition } = await res.json();
      const received = performance.now();
      polls += 1;
      pollRttMs += received - sent;
      let keep = 0;
      for (const p of pending) {
        if (p.position <= projectedPosition) {
          lags.push(received - p.t);
          lowerBounds.push(Math.max(0, p.lowerBound - p.t));
        } else {
          // Not projected when this poll was read (after `sent`): the projection came later than that.
          if (sent > p.lowerBound) p.lowerBound = sent;
          pending[keep++] = p;
        }
      }
      pending.length = keep;
    } catch { /* a failed poll: the next one will tell */ } finally {
      inFlight -= 1;
    }
  };
  const timer = setInterval(() => void poll(), 5);
  try {
    await waitIdle(server);
    if (opts.warmupSeconds > 0) {
      await load(server, { seconds: opts.warmupSeconds, connections: opts.connections, requests: writeRequests('warm') });
      await waitIdle(server);
    }
    log(`  POST /service-records for ${opts.seconds} s with ${opts.connections} connections, polling projectedPosition every 5 ms...`);
    track = true;
    const m = await load(server, { seconds: opts.seconds, connections: opts.connections, requests: writeRequests('run') });
    track = false;
    const deadline = performance.now() + 15_000;
    while (pending.length > 0 && performance.now() < deadline) await sleep(5);
    const unresolved = pending.length;
    lags.sort((a, b) => a - b);
    lowerBounds.sort((a, b) => a - b);
    return {
      commandsPerSecond: round(m.perSecond, 0),
      commandP50Ms: round(m.p50, 2),
      commandP99Ms: round(m.p99, 2),
      commands: m.ok,
      non2xx: m.non2xx,
      statusCounts: m.statusCounts,
      serverCpuPct: round(m.serverCpuPct, 0),
      samples: lags.length,
      unresolvedAfter15s: unresolved,
      lagP50Ms: round(percentile(lags, 50), 1),
      lagP99Ms: round(percentile(lags, 99), 1),
      lagMaxMs: round(lags[lags.length - 1], 1),
      lagLowerBoundP50Ms: round(percentile(lowerBounds, 50), 1),
      lagLowerBoundP99Ms: round(percentile(lowerBounds, 99), 1),
      polls,
      meanPollRoundTripMs: round(polls ? pollRttMs / polls : NaN, 2),
      pass: lags.length > 0 && unresolved === 0 && percentile(lags, 99) <= TARGETS.lagP99Ms,
    };
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------------------

async function run(overrides = {}) {
  requireBuild();
  installCleanupHooks();
  const opts = options(overrides);
  const dataDir = makeTempDir('haitang-bench-read-');
  const scratchDir = makeTempDir('haitang-bench-read-baseline-');
  let server;
  let rss;
  const baselines = {};
  const out = { options: { ...opts } };
  try {
    log('read side: the log');
    const summary = prepareLog(dataDir, opts);
    out.log = logFigures(summary);
    log(`  log: ${summary.events} events (${summary.activities} activities, ${summary.serviceRecords} service records, ` +
      `${summary.volunteerIds.length} volunteers), ${out.log.fileMB} MB, generated in ${out.log.generationSeconds} s (not a benchmark figure)`);

    log('read side: rebuild');
    const { rebuild, baseline, ratio, cpuRatio } = await rebuildAgainstBaseline(dataDir, scratchDir);
    const check = checkReadModels(dataDir, summary);
    if (!check.ok) log(`  WARNING: the rebuilt read models do not match the log: ${JSON.stringify(check)}`);
    out.rebuild = {
      events: rebuild.events,
      seconds: round(rebuild.seconds, 2),
      eventsPerSecond: round(rebuild.eventsPerSecond, 0),
      replaySeconds: round(rebuild.replaySeconds, 2),
      swapSeconds: round(rebuild.swapSeconds, 2),
      cpuSeconds: round(rebuild.cpuSeconds, 2),
      swapCpuSeconds: round(rebuild.swapCpuSeconds, 2),
      eventsPerCpuSecond: round(rebuild.eventsPerCpuSecond, 0),
      cpuPct: round(rebuild.cpuPct, 0),
      otherProcessesCpuPct: round(rebuild.otherCpuPct, 0),
      check,
      baseline: {
        seconds: round(baseline.seconds, 2),
        eventsPerSecond: round(baseline.eventsPerSecond, 0),
        readAndParseSeconds: round(baseline.readAndParseSeconds, 2),
        upsertSeconds: round(baseline.upsertSeconds, 2),
        cpuSeconds: round(baseline.cpuSeconds, 2),
        eventsPerCpuSecond: round(baseline.eventsPerCpuSecond, 0),
        distinctIds: baseline.distinctIds,
        otherProcessesCpuPct: round(baseline.otherCpuPct, 0),
        runs: baseline.runs.map((b) => ({ seconds: round(b.seconds, 2), cpuSeconds: round(b.cpuSeconds, 2), otherProcessesCpuPct: round(b.otherCpuPct, 0) })),
      },
      ratio: round(ratio, 3),
      cpuRatio: round(cpuRatio, 3),
      targets: { ratio: TARGETS.rebuildRatio, eventsPerSecond: TARGETS.rebuildEventsPerSecond },
      pass: { ratio: ratio >= TARGETS.rebuildRatio, eventsPerSecond: rebuild.eventsPerSecond >= TARGETS.rebuildEventsPerSecond },
    };
    if (opts.onlyRebuild && !opts.handOver) {
      log('read side: BENCH_READ_ONLY_REBUILD=1, no app started');
      out.targets = TARGETS;
      return out;
    }

    log(`read side: starting the app (dist/apps/haitang/src/main.js) on the ${summary.events}-event data dir...`);
    server = await startServer({
      name: 'haitang',
      script: join(DIST, 'apps', 'haitang', 'src', 'main.js'),
      env: { HAITANG_DATA_DIR: dataDir, HAITANG_LOG_REQUESTS: 'false', LOG_LEVEL: opts.logLevel, ...benchAdminEnv() },
      timeoutMs: 180_000,
      pollMs: 10,
    });
    await authorize(server);
    rss = new RssSampler(server.child.pid);
    out.coldStartMs = round(server.startedInMs, 0);
    log(`  cold start (spawn -> /health 200): ${out.coldStartMs} ms`);
    await sleep(500);
    rss.enter('idle');
    out.answersCheck = await checkAnswers(server.baseUrl, summary, server.headers);
    if (!out.answersCheck.ok) log(`  WARNING: answers differ from the log: ${out.answersCheck.problems.join('; ')}`);

    log('read side: computed reports and dashboards (cache misses), one connection');
    rss.enter('queries');
    out.misses = await measureMisses(server, summary, opts);

    log('read side: queries under load');
    baselines['NestJS validate-only'] = await startServer({
      name: 'NestJS validate-only', script: join(__dirname, 'support', 'validate-only-app.js'), env: { LOG_LEVEL: opts.logLevel }, timeoutMs: 60_000,
    });
    await authorize(baselines['NestJS validate-only'], 'validate-only');
    baselines['bare Fastify'] = await startServer({ name: 'bare Fastify', script: join(__dirname, 'support', 'bare-fastify-app.js'), env: {}, timeoutMs: 60_000 });
    await authorize(baselines['bare Fastify'], 'none');
    out.queries = await measureQueries(server, summary, opts, baselines);
    for (const b of Object.values(baselines)) await b.stop();

    log('read side: projection lag under writes');
    rss.enter('writes');
    out.lag = await measureLag(server, summary, opts);
    rss.enter('end');
    const memory = rss.stop();
    rss = null;
    const peak = Math.max(memory.maxSampledMB, Number.isFinite(memory.peakHwmMB) ? memory.peakHwmMB : 0);
    out.rss = {
      maxSampledMB: round(memory.maxSampledMB, 0),
      peakHwmMB: round(memory.peakHwmMB, 0),
      byPhaseMB: memory.byPhaseMB,
      targetMB: TARGETS.rssMB,
      pass: peak <= TARGETS.rssMB,
    };
    if (opts.handOver) {
      // bench/run.js goes on with this data dir (cold start, scaling) and removes it.
      await server.stop();
      const Database = require('better-sqlite3');
      const events = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
      const head = events.prepare('SELECT max(position) FROM events').pluck().get();
      events.close();
      Object.defineProperty(out, 'handOver', { value: { dataDir, summary: { ...summary, head }, rebuild: out.rebuild }, enumerable: false });
    }
  } finally {
    if (rss) rss.stop();
    for (const b of Object.values(baselines)) await b.stop();
    if (server) await server.stop();
    removeTempDir(scratchDir);
    if (opts.handOver && out.handOver) {
      keepTempDir(dataDir);
    } else if (opts.keepData) {
      keepTempDir(dataDir);
      log(`read side: data kept in ${dataDir} (BENCH_KEEP_DATA=1)`);
    } else removeTempDir(dataDir);
  }
  out.targets = TARGETS;
  return out;
}

// ---------------------------------------------------------------------------

const mark = (ok) => (ok === null || ok === undefined ? '' : ok ? 'ok' : 'MISSED');

function print(r) {
  const lines = [];
  const l = r.log;
  lines.push(`Read side (${l.events} events: ${l.volunteers} volunteers, ${l.activities} activities, ${l.serviceRecords} service records; ` +
    `${l.fileMB} MB log generated in ${l.generationSeconds} s${l.cached ? ', cached' : ''})`);
  const rb = r.rebuild;
  lines.push(`  rebuild: ${fmt(rb.eventsPerSecond)} events/s (${fmt(rb.seconds, 1)} s: replay ${fmt(rb.replaySeconds, 1)} s, swap ${fmt(rb.swapSeconds, 1)} s; ` +
    `CPU ${fmt(rb.cpuSeconds, 1)} s = ${fmt(rb.eventsPerCpuSecond)} events per CPU second; other processes ${fmt(rb.otherProcessesCpuPct)}% of a core) ` +
    `(target >= ${fmt(TARGETS.rebuildEventsPerSecond)}: ${mark(rb.pass.eventsPerSecond)})${rb.check.ok ? '' : ' — READ MODELS DO NOT MATCH THE LOG'}`);
  lines.push(`  baseline: ${fmt(rb.baseline.eventsPerSecond)} events/s (${fmt(rb.baseline.seconds, 1)} s: read + JSON.parse ${fmt(rb.baseline.readAndParseSeconds, 1)} s, ` +
    `upserts ${fmt(rb.baseline.upsertSeconds, 1)} s into ${rb.baseline.distinctIds} ids; CPU ${fmt(rb.baseline.cpuSeconds, 1)} s = ${fmt(rb.baseline.eventsPerCpuSecond)} events per CPU second; ` +
    `mean of ${rb.baseline.runs.map((b) => `${fmt(b.seconds, 1)} s`).join(' and ')}, before and after the rebuild)`);
  lines.push(`  ratio rebuild/baseline: ${fmt(rb.ratio, 2)} by wall time, ${fmt(rb.cpuRatio, 2)} by CPU time (target >= ${TARGETS.rebuildRatio}: ${mark(rb.pass.ratio)})`);
  if (!r.queries) return lines.join('\n'); // BENCH_READ_ONLY_REBUILD=1
  lines.push(`  cold start (spawn -> /health 200): ${fmt(r.coldStartMs)} ms${r.answersCheck.ok ? '' : ` — ANSWERS DIFFER: ${r.answersCheck.problems.join('; ')}`}`);
  for (const m of r.misses) {
    lines.push(`  GET ${m.route} computed (cache miss, 1 connection, ${m.requests} requests): p50 ${fmt(m.p50Ms, 1)} ms, p99 ${fmt(m.p99Ms, 1)} ms, ` +
      `server ${fmt(m.serverCpuMsPerRequest, 1)} ms CPU/request${m.notComputed ? ` (${m.notComputed} NOT COMPUTED)` : ''}`);
  }
  for (const q of r.queries) {
    lines.push(`  GET ${q.route}: ${fmt(q.requestsPerSecond)} req/s, p50 ${fmt(q.p50Ms, 1)} ms, p99 ${fmt(q.p99Ms, 1)} ms` +
      (q.targetP99Ms !== null ? ` (target <= ${q.targetP99Ms} ms: ${mark(q.pass)})` : '') +
      `, non-2xx ${q.non2xx}; server ${fmt(q.serverCpuMsPerRequest, 2)} ms CPU/request, CPU % of one core: server ${fmt(q.serverCpuPct)}, ` +
      `load generator ${fmt(q.loadGeneratorCpuPct)}, other ${fmt(q.otherProcessesCpuPct)}; 1 connection: p50 ${fmt(q.oneConnection.p50Ms, 1)} ms, p99 ${fmt(q.oneConnection.p99Ms, 1)} ms`);
    for (const [name, b] of Object.entries(q.baselines ?? {})) {
      lines.push(`    baseline ${name} (same GET, constant answer): ${fmt(b.requestsPerSecond)} req/s, p50 ${fmt(b.p50Ms, 1)} ms, p99 ${fmt(b.p99Ms, 1)} ms, ` +
        `server ${fmt(b.serverCpuMsPerRequest, 2)} ms CPU/request; measured/baseline req/s ${fmt(q.ratioToBaseline[name], 2)}`);
    }
  }
  const g = r.lag;
  lines.push(`  projection lag under ${fmt(g.commandsPerSecond)} service-record commands/s (p99 ${fmt(g.commandP99Ms, 1)} ms, non-2xx ${g.non2xx}): ` +
    `p50 ${fmt(g.lagP50Ms, 1)} ms, p99 ${fmt(g.lagP99Ms, 1)} ms, max ${fmt(g.lagMaxMs, 1)} ms over ${g.samples} commands ` +
    `(target p99 <= ${TARGETS.lagP99Ms} ms: ${mark(g.pass)}; lower bound p50/p99 ${fmt(g.lagLowerBoundP50Ms, 1)}/${fmt(g.lagLowerBoundP99Ms, 1)} ms, ` +
    `poll round trip ${fmt(g.meanPollRoundTripMs, 1)} ms${g.unresolvedAfter15s ? `, ${g.unresolvedAfter15s} never seen` : ''})`);
  lines.push(`  server RSS: max ${fmt(r.rss.maxSampledMB)} MB sampled, peak (VmHWM) ${fmt(r.rss.peakHwmMB)} MB (target <= ${TARGETS.rssMB} MB: ${mark(r.rss.pass)}); ` +
    `by phase ${Object.entries(r.rss.byPhaseMB).map(([k, v]) => `${k} ${v}`).join(', ')} MB`);
  return lines.join('\n');
}

const verdict = (ok) => (ok ? 'ok' : 'missed');

/** Rows for bench/run.js's Markdown table (| Figure | Measured | Baseline | Measured / baseline | Target |). */
function markdownRows(r) {
  const rows = [];
  const rb = r.rebuild;
  rows.push(`| read side: rebuild events/s (${r.log.events} events) | ${fmt(rb.eventsPerSecond)} | ${fmt(rb.baseline.eventsPerSecond)} raw read + upserts/s | ${fmt(rb.ratio, 2)} | ≥ ${TARGETS.rebuildRatio}: ${verdict(rb.pass.ratio)}; ≥ ${fmt(TARGETS.rebuildEventsPerSecond)}/s: ${verdict(rb.pass.eventsPerSecond)} |`);
  rows.push(`| read side: rebuild events per CPU second | ${fmt(rb.eventsPerCpuSecond)} | ${fmt(rb.baseline.eventsPerCpuSecond)} | ${fmt(rb.cpuRatio, 2)} | |`);
  if (!r.queries) return rows; // BENCH_READ_ONLY_REBUILD=1
  rows.push(`| read side: cold start, spawn → /health 200 (ms) | ${fmt(r.coldStartMs)} | | | |`);
  for (const m of r.misses) rows.push(`| read side: GET ${m.route} computed (cache miss), p50 / p99 (ms), 1 connection | ${fmt(m.p50Ms, 1)} / ${fmt(m.p99Ms, 1)} | | | |`);
  for (const q of r.queries) {
    const [name, b] = Object.entries(q.baselines ?? {})[0] ?? [];
    rows.push(`| read side: GET ${q.route} p50 / p99 (ms) | ${fmt(q.p50Ms, 1)} / ${fmt(q.p99Ms, 1)} | ${b ? `${fmt(b.p50Ms, 1)} / ${fmt(b.p99Ms, 1)} (${name})` : ''} | | ${q.targetP99Ms !== null ? `p99 ≤ ${q.targetP99Ms}: ${verdict(q.pass)}` : ''} |`);
    rows.push(`| read side: GET ${q.route} req/s | ${fmt(q.requestsPerSecond)} | ${b ? `${fmt(b.requestsPerSecond)} (${name})` : ''} | ${b ? fmt(q.ratioToBaseline[name], 2) : ''} | |`);
    for (const [other, ob] of Object.entries(q.baselines ?? {}).slice(1)) {
      rows.push(`| read side: GET ${q.route} vs ${other}: p99 (ms), req/s | | ${fmt(ob.p99Ms, 1)}, ${fmt(ob.requestsPerSecond)} | ${fmt(q.ratioToBaseline[other], 2)} | |`);
    }
  }
  rows.push(`| read side: projection lag p50 / p99 (ms) under ${fmt(r.lag.commandsPerSecond)} commands/s | ${fmt(r.lag.lagP50Ms, 1)} / ${fmt(r.lag.lagP99Ms, 1)} | | | p99 ≤ ${TARGETS.lagP99Ms}: ${verdict(r.lag.pass)} |`);
  rows.push(`| read side: server RSS, max sampled / peak (MB) | ${fmt(r.rss.maxSampledMB)} / ${fmt(r.rss.peakHwmMB)} | | | ≤ ${TARGETS.rssMB}: ${verdict(r.rss.pass)} |`);
  return rows;
}

module.exports = { run, print, markdownRows, TARGETS, PROFILES, measureRoute, measureMisses, waitIdle, RssSampler };

if (require.main === module) require('./support/common').runStandalone(run, print);
