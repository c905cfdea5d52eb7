'use strict';
/**
 * Cold start of the standalone app on an existing data dir (a generated log of N events and read
 * models already caught up with it), against baselines measured in the same run:
 *
 *   MEASURED   node dist/apps/haitang/src/main.js: time from spawn to the first 200 on /health, to the
 *              first 200 of a real query (sign-in as the bench admin once /health answers, then
 *              GET /api/v1/volunteers/<id>/hours, whose projectedPosition must be the log's head; the
 *              sign-in, an argon2id check, is also reported on its own), and to the first computed report (a district over one year,
 *              asked right after); RSS (VmRSS) at the first answer and after the report.
 *   BASELINES  `node -e 0` (spawn to exit: Node itself), bare Fastify (bench/support/bare-fastify-app.js:
 *              spawn to the first 200 on /health) and the NestJS validate-only app
 *              (bench/support/validate-only-app.js, the framework with the app's plumbing and no stores).
 *
 * Each is started BENCH_COLD_RUNS times (5 / 3), in turn, so that a busy moment of the machine falls
 * on all of them alike; the figures are medians. The files are in the page cache (just written or
 * read): this is a warm-disk start, as after a restart of the service, not after a reboot.
 *
 * Usage: npm run build && node bench/cold-start.js
 * Env: BENCH_PROFILE (full), BENCH_COLD_EVENTS (100000 / 20000) and BENCH_COLD_VOLUNTEERS (10000 / 2000): the
 *      size of the log when run alone (bench/run.js passes the read side's data dir instead),
 *      BENCH_COLD_RUNS, BENCH_LOG_SEED, BENCH_LOG_CACHE (see read-side.js), LOG_LEVEL (info).
 */
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const {
  DIST, HOST, freePort, requireBuild, makeTempDir, removeTempDir, round, fmt, installCleanupHooks, sleep, benchAdminEnv, signIn,
} = require('./support/common');
const { prepareLog, measureRebuild } = require('./support/read-models');

const PROFILES = {
  short: { events: 20_000, volunteers: 2000, runs: 3 },
  full: { events: 100_000, volunteers: 10_000, runs: 5 },
};

function options(overrides = {}) {
  const profile = overrides.profile ?? process.env.BENCH_PROFILE ?? 'full';
  const base = PROFILES[profile];
  if (!base) throw new Error(`BENCH_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got "${profile}"`);
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  const opts = {
    profile,
    logEvents: num('BENCH_COLD_EVENTS', base.events),
    logVolunteers: num('BENCH_COLD_VOLUNTEERS', base.volunteers),
    runs: num('BENCH_COLD_RUNS', base.runs),
    seed: num('BENCH_LOG_SEED', 20261125),
    logCache: process.env.BENCH_LOG_CACHE || null,
    logLevel: process.env.LOG_LEVEL ?? 'info',
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) opts[k] = v;
  return opts;
}

const log = (line) => process.stderr.write(`${line}\n`);

function rssMB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** Resolves with the time (ms since `t0`) of the first 200 from `url`, polled every `everyMs`. */
async function firstOk(url, t0, child, everyMs = 5, timeoutMs = 180_000, headers = {}) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { headers });
      const body = await res.text();
      if (res.ok) return { ms: performance.now() - t0, body };
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Spawns `node <args>` and measures what `probe` says; always kills it. */
async function startOnce(args, env, probe) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port), HOST }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    return await probe({ baseUrl: `http://${HOST}:${port}`, t0, child, exited });
  } catch (error) {
    throw new Error(`${args.join(' ')}: ${error.message}\n${stderr}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};

/**
 * Cold starts on `dataDir` (events.sqlite + readmodels.sqlite caught up), `summary` from the
 * generator (volunteer ids, districts). Answers medians over `runs` starts of each.
 */
async function measureColdStart(dataDir, summary, { runs = 3, logLevel = 'info' } = {}) {
  const volunteer = summary.sampleVolunteers[1].id;
  const district = summary.districts[0].id;
  const head = summary.head ?? summary.events;
  const samples = { node: [], fastify: [], nest: [], health: [], signIn: [], query: [], report: [], rssFirstMB: [], rssAfterReportMB: [] };
  for (let i = 0; i < runs; i++) {
    samples.node.push(await startOnce(['-e', '0'], {}, async ({ t0, exited }) => {
      await exited;
      return performance.now() - t0;
    }));
    samples.fastify.push(await startOnce([join(__dirname, 'support', 'bare-fastify-app.js')], {},
      async ({ baseUrl, t0, child }) => (await firstOk(`${baseUrl}/health`, t0, child)).ms));
    samples.nest.push(await startOnce([join(__dirname, 'support', 'validate-only-app.js')], { LOG_LEVEL: logLevel },
      async ({ baseUrl, t0, child }) => (await firstOk(`${baseUrl}/health`, t0, child)).ms));
    const app = await startOnce([join(DIST, 'apps', 'haitang', 'src', 'main.js')],
      { HAITANG_DATA_DIR: dataDir, HAITANG_LOG_REQUESTS: 'false', LOG_LEVEL: logLevel, ...benchAdminEnv() },
      async ({ baseUrl, t0, child }) => {
        // Every route but /health needs a token: a client signs in once the app answers, then asks.
        const health = await firstOk(`${baseUrl}/health`, t0, child);
        const s0 = performance.now();
        const headers = { authorization: `Bearer ${await signIn(baseUrl)}` };
        const signedIn = performance.now() - s0;
        const query = await firstOk(`${baseUrl}/api/v1/volunteers/${volunteer}/hours`, t0, child, 5, 180_000, headers);
        const rssFirst = rssMB(child.pid);
        const projected = JSON.parse(query.body).projectedPosition;
        if (projected < head) throw new Error(`the first answer was not caught up: projectedPosition ${projected} < ${head}`);
        const r0 = performance.now();
        const res = await fetch(`${baseUrl}/api/v1/org-units/${district}/report?from=2025-11-01&to=2026-10-31&groupBy=child`, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`the report answered ${res.status}`);
        return { health: health.ms, signIn: signedIn, query: query.ms, report: query.ms + (performance.now() - r0), rssFirst, rssAfter: rssMB(child.pid) };
      });
    samples.health.push(app.health);
    samples.signIn.push(app.signIn);
    samples.query.push(app.query);
    samples.report.push(app.report);
    samples.rssFirstMB.push(app.rssFirst);
    samples.rssAfterReportMB.push(app.rssAfter);
    log(`  start ${i + 1}/${runs}: node -e ${fmt(samples.node[i])} ms, bare Fastify ${fmt(samples.fastify[i])} ms, NestJS ${fmt(samples.nest[i])} ms, ` +
      `Haitang /health ${fmt(app.health)} ms, sign-in ${fmt(app.signIn)} ms, first query ${fmt(app.query)} ms, + report ${fmt(app.report)} ms`);
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  return {
    runs,
    events: head,
    healthMs: round(m.health, 0),
    signInMs: round(m.signIn, 0),
    firstQueryMs: round(m.query, 0),
    firstReportMs: round(m.report, 0),
    rssAtFirstAnswerMB: round(m.rssFirstMB, 0),
    rssAfterReportMB: round(m.rssAfterReportMB, 0),
    baselines: { nodeMs: round(m.node, 0), bareFastifyMs: round(m.fastify, 0), nestValidateOnlyMs: round(m.nest, 0) },
    ratios: {
      healthToBareFastify: round(m.health / m.fastify, 2),
      healthToNest: round(m.health / m.nest, 2),
      firstQueryToNest: round(m.query / m.nest, 2),
      healthToNode: round(m.health / m.node, 1),
    },
    samples: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((x) => round(x, 0))])),
  };
}

async function run(overrides = {}) {
  requireBuild();
  installCleanupHooks();
  const opts = options(overrides);
  if (opts.dataDir) {
    log(`cold start: ${opts.runs} starts on the data dir of ${opts.summary.head ?? opts.summary.events} events`);
    return { ...(await measureColdStart(opts.dataDir, opts.summary, opts)), volunteers: opts.summary.volunteerIds.length };
  }
  const dataDir = makeTempDir('haitang-bench-cold-');
  try {
    log(`cold start: a log of ${opts.logEvents} events and its read models`);
    const summary = prepareLog(dataDir, opts);
    await measureRebuild(dataDir);
    log(`cold start: ${opts.runs} starts`);
    return { ...(await measureColdStart(dataDir, summary, opts)), volunteers: summary.volunteerIds.length };
  } finally {
    removeTempDir(dataDir);
  }
}

function print(r) {
  return [
    `Cold start on a data dir of ${r.events} events (${r.volunteers} volunteers), read models caught up; median of ${r.runs} starts:`,
    `  spawn -> /health 200: ${fmt(r.healthMs)} ms; sign-in ${fmt(r.signInMs)} ms; -> first query 200 (hours, sign-in included): ${fmt(r.firstQueryMs)} ms; -> first computed report: ${fmt(r.firstReportMs)} ms`,
    `  baselines: node -e 0 ${fmt(r.baselines.nodeMs)} ms, bare Fastify /health ${fmt(r.baselines.bareFastifyMs)} ms, NestJS validate-only /health ${fmt(r.baselines.nestValidateOnlyMs)} ms`,
    `  ratios: /health vs bare Fastify ${fmt(r.ratios.healthToBareFastify, 2)}, vs NestJS ${fmt(r.ratios.healthToNest, 2)}; first query vs NestJS /health ${fmt(r.ratios.firstQueryToNest, 2)}`,
    `  RSS at the first answer ${fmt(r.rssAtFirstAnswerMB)} MB, after the report ${fmt(r.rssAfterReportMB)} MB`,
  ].join('\n');
}

function markdownRows(r) {
  return [
    `| cold start (${r.events} events): spawn → /health 200 (ms) | ${fmt(r.healthMs)} | ${fmt(r.baselines.bareFastifyMs)} bare Fastify / ${fmt(r.baselines.nestValidateOnlyMs)} NestJS | ${fmt(r.ratios.healthToBareFastify, 2)} / ${fmt(r.ratios.healthToNest, 2)} | |`,
    `| cold start: spawn → first query 200, sign-in (${fmt(r.signInMs)} ms) included (ms) | ${fmt(r.firstQueryMs)} | ${fmt(r.baselines.nestValidateOnlyMs)} NestJS /health | ${fmt(r.ratios.firstQueryToNest, 2)} | |`,
    `| cold start: spawn → first computed district report (ms) | ${fmt(r.firstReportMs)} | | | |`,
    `| cold start: node -e 0 (ms) | ${fmt(r.baselines.nodeMs)} | | | |`,
    `| cold start: RSS at first answer / after a report (MB) | ${fmt(r.rssAtFirstAnswerMB)} / ${fmt(r.rssAfterReportMB)} | | | |`,
  ];
}

module.exports = { run, print, markdownRows, measureColdStart, PROFILES };

if (require.main === module) require('./support/common').runStandalone(run, print);
