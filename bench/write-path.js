'use strict';
/**
 * Write-path benchmark over real HTTP (autocannon, loopback only).
 *
 *   BASELINE  bench/support/validate-only-app.js: NestJS + Fastify, same HTTP plumbing,
 *             each route only validates its DTO and answers {ok:true}.
 *   MEASURED  the real standalone app (node dist/apps/haitang/src/main.js) on a temp
 *             HAITANG_DATA_DIR, HAITANG_LOG_REQUESTS=false; the scenarios run as a staff
 *             member of the community (bearer token; the access guard checks role and subtree).
 *   The validate-only BASELINE verifies a bearer token the same way (the same TokenVerifier);
 *   the bare Fastify baseline has no sign-in at all.
 *
 * Scenarios:
 *   check-in/check-out  each connection alternates POST /activities/:id/check-ins then
 *                       /check-outs for the same, never used (activity, volunteer) pair.
 *   service-record      POST /service-records, random volunteer, today (Asia/Shanghai), 30..240 min.
 * Every request carries a unique Idempotency-Key. Only 2xx answers count as commands.
 *
 * Usage: npm run build && node bench/write-path.js
 * Env: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (50),
 *      BENCH_VOLUNTEERS (2000), BENCH_ACTIVITIES (100), LOG_LEVEL (info),
 *      BENCH_CPU_PROF_DIR (unset): when set, the measured app runs with `node --cpu-prof`
 *      and writes its profile there on exit (open it in Chrome DevTools or speedscope),
 *      BENCH_SCENARIOS (all): comma-separated subset, e.g. "service-record",
 *      BENCH_STORE (sqlite): "postgres" runs the measured app with every store in PostgreSQL
 *      (HAITANG_EVENT_STORE, HAITANG_READ_STORE and HAITANG_AUTH_STORE) on a throwaway cluster this
 *      script starts (test/support/postgres-cluster.js) and stops; after the scenarios it measures,
 *      on the same cluster, raw single-row and 100-row inserts of the same events over 8 connections
 *      (bench/postgres.js's baselines) and prints the commands/s against them,
 *      BENCH_SQLITE_TIMING (unset): a file; when set, the measured app runs with the diagnostic
 *      preload bench/support/sqlite-timing.js, which times every SQLite statement there (summary:
 *      node bench/support/sqlite-timing.js <file>). Totals cover the last measured run.
 */
const { randomUUID } = require('node:crypto');
const { closeSync, fdatasyncSync, openSync, rmSync, writeFileSync, writeSync } = require('node:fs');
const { join, resolve } = require('node:path');
const autocannon = require('autocannon');
const { startCluster, createDatabase } = require('../test/support/postgres-cluster.js');
const {
  DIST, requireBuild, startServer, makeTempDir, removeTempDir, percentile, pool, shanghaiToday, round, fmt,
  installCleanupHooks, killAllSync, machineBusyMs, sleep,
} = require('./support/common');

const TARGETS = { ratio: 0.5, p99Ms: 25 };

function options(overrides = {}) {
  const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
  return {
    seconds: num('BENCH_SECONDS', 10),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 2),
    connections: num('BENCH_CONNECTIONS', 50),
    volunteers: num('BENCH_VOLUNTEERS', 2000),
    activities: num('BENCH_ACTIVITIES', 100),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    cpuProfDir: process.env.BENCH_CPU_PROF_DIR || null,
    sqliteTiming: process.env.BENCH_SQLITE_TIMING || null,
    store: process.env.BENCH_STORE || 'sqlite',
    scenarios: process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// Request generators (autocannon `requests` with setupRequest; each client keeps a context).

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Check-in then check-out of the same pair, per connection. Pair k is
 * (activities[k % A], volunteers[floor(k / A) % V]): every activity grows evenly
 * and no pair is used twice until A*V check-ins were sent.
 */
function checkInOutScenario(ids, runTag, headers) {
  const state = { next: 0, pairs: ids.activities.length * ids.volunteers.length };
  const requests = [
    {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...headers },
      setupRequest(req, context) {
        const k = state.next++;
        const activityId = ids.activities[k % ids.activities.length];
        const volunteerId = ids.volunteers[Math.floor(k / ids.activities.length) % ids.volunteers.length];
        context.activityId = activityId;
        context.volunteerId = volunteerId;
        context.k = k;
        req.path = `/api/v1/activities/${activityId}/check-ins`;
        req.body = JSON.stringify({ volunteerId });
        req.headers = { ...req.headers, 'idempotency-key': `${runTag}-in-${k}` };
        return req;
      },
    },
    {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...headers },
      setupRequest(req, context) {
        req.path = `/api/v1/activities/${context.activityId}/check-outs`;
        req.body = JSON.stringify({ volunteerId: context.volunteerId });
        req.headers = { ...req.headers, 'idempotency-key': `${runTag}-out-${context.k}` };
        return req;
      },
    },
  ];
  return { requests, state };
}

const DESCRIPTIONS = [
  '入户探访独居老人，协助整理药品并检查燃气安全',
  '在社区党群服务中心教老年人使用智能手机挂号',
  '小区垃圾分类桶站值守，指导居民正确投放',
  '陪同行动不便的老人到苏大附一院复诊取药',
];

function serviceRecordScenario(ids, runTag, headers) {
  const state = { next: 0 };
  const serviceDate = shanghaiToday();
  const requests = [
    {
      method: 'POST',
      path: '/api/v1/service-records',
      headers: { ...JSON_HEADERS, ...headers },
      setupRequest(req) {
        const k = state.next++;
        const volunteerId = ids.volunteers[Math.floor(Math.random() * ids.volunteers.length)];
        req.body = JSON.stringify({
          volunteerId,
          orgUnitId: ids.orgUnitId,
          category: 'other',
          serviceDate,
          minutes: 30 + Math.floor(Math.random() * 211),
          description: `${DESCRIPTIONS[k % DESCRIPTIONS.length]}（第 ${k} 次）`,
        });
        req.headers = { ...req.headers, 'idempotency-key': `${runTag}-sr-${k}` };
        return req;
      },
    },
  ];
  return { requests, state };
}

const SCENARIOS = {
  'check-in/check-out': checkInOutScenario,
  'service-record': serviceRecordScenario,
};

// ---------------------------------------------------------------------------

/** One autocannon run; latencies of 2xx answers are kept exactly (ms, float). */
async function load(server, { seconds, connections, requests }) {
  const latencies = [];
  const cpuBefore = server.cpuMs();
  const mainBefore = server.mainThreadCpuMs();
  const benchCpuBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const instance = autocannon({
    url: server.baseUrl,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    requests,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const wallMs = result.finish - result.start;
  const serverCpuMs = server.cpuMs() - cpuBefore;
  const mainThreadCpuMs = server.mainThreadCpuMs() - mainBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const benchCpuMs = (benchCpu.user + benchCpu.system) / 1000;
  const otherCpuMs = machineBusyMs() - machineBefore - serverCpuMs - benchCpuMs;
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  const statusCounts = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = count;
  // A run with no successful answer measured nothing: stop instead of printing a meaningless ratio.
  if (ok === 0) throw new Error(`${server.name}: not one 2xx answer in ${result.requests?.sent ?? 0} requests (status codes ${JSON.stringify(statusCounts)})`);
  return {
    seconds: round(wallMs / 1000, 2),
    ok,
    sent: result.requests?.sent,
    perSecond: ok / (wallMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    serverCpuPct: (serverCpuMs / wallMs) * 100,
    // CPU time of the server's main thread per request sent (µs): the event loop is what caps a Node
    // server's throughput. Other load on the machine inflates it too (shared caches), so compare runs made
    // side by side.
    mainThreadUsPerRequest: (mainThreadCpuMs * 1000) / Math.max(1, result.requests?.sent ?? ok),
    loadGenCpuPct: (benchCpuMs / wallMs) * 100,
    // CPU used meanwhile by every other process on the machine (noise), in % of one core.
    otherCpuPct: Math.max(0, (otherCpuMs / wallMs) * 100),
  };
}

async function postAs(baseUrl, path, body, token) {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`setup: POST ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * District, street, community, N volunteers and A activities open now (started 30 min ago, 3 h long, no capacity),
 * set up by the admin; then a staff account of the community, whose token the scenarios send (so every
 * measured command pays for the access check of a staff member: token, role and the unit's subtree).
 */
async function setUpLedger(baseUrl, opts, admin) {
  const adminToken = await signIn(baseUrl, admin.username, admin.password);
  const post = (path, body) => postAs(baseUrl, path, body, adminToken);
  const district = await post('/api/v1/org-units', { kind: 'district', name: '姑苏区' });
  const street = await post('/api/v1/org-units', { kind: 'street', name: '平江街道', parentId: district.id });
  const community = await post('/api/v1/org-units', { kind: 'community', name: '桃花坞社区', parentId: street.id });
  const volunteers = new Array(opts.volunteers);
  await pool(opts.volunteers, 16, async (i) => {
    volunteers[i] = (await post('/api/v1/volunteers', {
      homeOrgUnitId: community.id, displayName: `志愿者${i + 1}`, senior: i % 3 === 0,
    })).id;
  });
  const now = Date.now();
  const activities = new Array(opts.activities);
  await pool(opts.activities, 8, async (i) => {
    activities[i] = (await post('/api/v1/activities', {
      orgUnitId: community.id,
      title: `桃花坞社区环境整治 第${i + 1}场`,
      category: 'environment',
      location: '桃花坞社区党群服务中心',
      startsAt: new Date(now - 30 * 60_000).toISOString(),
      endsAt: new Date(now + 3 * 3600_000).toISOString(),
      description: '清理楼道杂物、劝导文明停车',
    })).id;
  });
  const staffPassword = randomUUID();
  await post('/api/v1/accounts', { username: 'bench-staff', role: 'staff', orgUnitId: community.id, password: staffPassword });
  const token = await signIn(baseUrl, 'bench-staff', staffPassword);
  return { orgUnitId: community.id, volunteers, activities, token };
}

async function signIn(baseUrl, username, password) {
  const res = await fetch(`${baseUrl}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`setup: sign-in as ${username} answered ${res.status}: ${text}`);
  return JSON.parse(text).token;
}

/** Synthetic ids for the baselines (they store nothing, only validate shapes), and the baseline's token if it has one. */
async function syntheticIds(opts, server) {
  let token = null;
  if (server.name === 'baseline') token = (await (await fetch(`${server.baseUrl}/bench-token`)).json()).token;
  return {
    token,
    orgUnitId: randomUUID(),
    volunteers: Array.from({ length: opts.volunteers }, () => randomUUID()),
    activities: Array.from({ length: opts.activities }, () => randomUUID()),
  };
}

/** The commands counter of /metrics, e.g. { 'CheckIn ok': 1234 }. */
async function commandCounters(baseUrl) {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const counters = {};
    for (const m of text.matchAll(/^haitang_commands_total\{([^}]*)\}\s+(\S+)$/gm)) {
      const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      counters[`${labels.command} ${labels.outcome}`] = Number(m[2]);
    }
    return counters;
  } catch {
    return {};
  }
}

/** The event store's group-commit counters from /metrics (commits and appends), or null where there are none. */
async function groupCommitCounters(baseUrl) {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const value = (name) => Number(text.match(new RegExp(`^${name}\\s+(\\S+)$`, 'm'))?.[1]);
    const commits = value('haitang_event_store_commits_total');
    return Number.isFinite(commits) ? { commits, appends: value('haitang_event_store_appends_total'), retries: value('haitang_command_retries_total') } : null;
  } catch {
    return null;
  }
}

/** Warm-up (discarded) then the measured run; the measured run continues the warm-up's counter (fresh pairs, keys). */
async function warmAndMeasure(server, ids, opts, name, tag) {
  const make = SCENARIOS[name];
  const headers = ids.token ? { authorization: `Bearer ${ids.token}` } : {};
  let next = 0;
  if (opts.warmupSeconds > 0) {
    const warm = make(ids, `${tag}-warm`, headers);
    await load(server, { seconds: opts.warmupSeconds, connections: opts.connections, requests: warm.requests });
    next = warm.state.next;
  }
  const scenario = make(ids, tag, headers);
  scenario.state.next = next;
  process.stderr.write(`  ${server.name}: ${name} for ${opts.seconds} s with ${opts.connections} connections...\n`);
  if (opts.sqliteTiming && server.name === 'haitang') {
    writeFileSync(`${resolve(opts.sqliteTiming)}.reset`, '');
    await sleep(1100); // let the preload see the reset before the run starts
  }
  const groupsBefore = server.name === 'haitang' ? await groupCommitCounters(server.baseUrl) : null;
  const result = await load(server, { seconds: opts.seconds, connections: opts.connections, requests: scenario.requests });
  const groupsAfter = groupsBefore ? await groupCommitCounters(server.baseUrl) : null;
  if (groupsBefore && groupsAfter && groupsAfter.commits > groupsBefore.commits) {
    // Appends per transaction during the measured run: one fsync makes a whole group durable.
    result.meanGroupSize = (groupsAfter.appends - groupsBefore.appends) / (groupsAfter.commits - groupsBefore.commits);
    // Commands decided again because another one changed the same stream first (same group, or in flight).
    if (Number.isFinite(groupsAfter.retries)) result.retries = groupsAfter.retries - groupsBefore.retries;
  }
  if (scenario.state.pairs !== undefined) {
    if (scenario.state.next > scenario.state.pairs) {
      process.stderr.write(`  warning: ${scenario.state.next} check-ins for ${scenario.state.pairs} pairs: pairs were reused (409s). Raise BENCH_ACTIVITIES or BENCH_VOLUNTEERS.\n`);
    }
    // Check-ins sent so far (warm-up included) spread evenly over the activities.
    result.attendeesPerActivityAtEnd = Math.ceil(scenario.state.next / ids.activities.length);
  }
  return result;
}

/**
 * Starts both servers, sets the ledger up, then for each scenario runs the baseline and
 * right after it the measured app (so both see the same machine load); returns the figures.
 */
async function run(overrides = {}) {
  requireBuild();
  installCleanupHooks();
  const opts = options(overrides);
  for (const name of opts.scenarios) {
    if (!SCENARIOS[name]) throw new Error(`Unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  }
  if (opts.store !== 'sqlite' && opts.store !== 'postgres') throw new Error(`BENCH_STORE is "${opts.store}"; known: sqlite, postgres`);
  const env = { LOG_LEVEL: opts.logLevel, HAITANG_LOG_REQUESTS: 'false' };
  const admin = { username: 'bench-admin', password: randomUUID() };
  const dataDir = makeTempDir('haitang-bench-');
  const servers = [];
  const baseline = {};
  const bare = {};
  const measured = {};
  let setupSeconds;
  let counters;
  let disk;
  let cluster = null;
  let postgres;
  try {
    let storeEnv = {};
    if (opts.store === 'postgres') {
      process.stderr.write('write path: starting a throwaway PostgreSQL cluster (initdb + pg_ctl)...\n');
      cluster = await startCluster();
      storeEnv = {
        HAITANG_EVENT_STORE: 'postgres', HAITANG_READ_STORE: 'postgres', HAITANG_AUTH_STORE: 'postgres',
        DATABASE_URL: await createDatabase(cluster, 'bench_app'),
      };
    }
    process.stderr.write('write path: starting BASELINE (bench/support/validate-only-app.js) and MEASURED (dist/apps/haitang/src/main.js)\n');
    const baseServer = await startServer({
      name: 'baseline', script: join(__dirname, 'support', 'validate-only-app.js'), env,
      // Profiled too when the measured app is, into <dir>/baseline: the two profiles side by side show where the command pipeline's time goes.
      nodeArgs: opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.cpuProfDir, 'baseline')}`] : [],
    });
    servers.push(baseServer);
    const bareServer = await startServer({ name: 'bare-fastify', script: join(__dirname, 'support', 'bare-fastify-app.js'), env });
    servers.push(bareServer);
    const app = await startServer({
      name: 'haitang',
      script: join(DIST, 'apps', 'haitang', 'src', 'main.js'),
      env: {
        ...env, ...storeEnv, HAITANG_DATA_DIR: dataDir, HAITANG_ADMIN_USER: admin.username, HAITANG_ADMIN_PASSWORD: admin.password,
        // The write rate limits stay on (their cost is measured) but far above what one benchmark account sends.
        HAITANG_WRITE_RATE_LIMIT: '100000000', HAITANG_WRITE_RATE_LIMIT_PER_IP: '100000000',
        ...(opts.sqliteTiming ? { BENCH_SQLITE_TIMING_OUT: resolve(opts.sqliteTiming) } : {}) },
      nodeArgs: [
        ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.cpuProfDir)}`] : []),
        ...(opts.sqliteTiming ? ['-r', join(__dirname, 'support', 'sqlite-timing.js')] : []),
      ],
    });
    servers.push(app);
    const t0 = Date.now();
    process.stderr.write(`  setup: 3 org units, ${opts.volunteers} volunteers, ${opts.activities} activities over HTTP...\n`);
    const ids = await setUpLedger(app.baseUrl, opts, admin);
    setupSeconds = (Date.now() - t0) / 1000;
    const synthetic = await syntheticIds(opts, baseServer);
    const bareIds = await syntheticIds(opts, bareServer);
    const tag = randomUUID().slice(0, 8);
    for (const name of opts.scenarios) {
      bare[name] = await warmAndMeasure(bareServer, bareIds, opts, name, `${tag}-bare`);
      baseline[name] = await warmAndMeasure(baseServer, synthetic, opts, name, `${tag}-base`);
      measured[name] = await warmAndMeasure(app, ids, opts, name, tag);
    }
    counters = await commandCounters(app.baseUrl);
    for (const server of servers.splice(0).reverse()) await server.stop();
    if (cluster) postgres = await postgresBaselines(cluster);
  } finally {
    for (const server of servers.reverse()) await server.stop();
    cluster?.stop();
    // Once the servers are stopped: the probe has the disk to itself.
    if (counters) disk = diskSyncLatency(dataDir);
    removeTempDir(dataDir);
  }

  const scenarios = opts.scenarios.map((name) => {
    const m = measured[name];
    const b = baseline[name];
    const f = bare[name];
    const ratio = m.perSecond / b.perSecond;
    return {
      scenario: name,
      commandsPerSecond: round(m.perSecond, 1),
      p50Ms: round(m.p50, 2),
      p99Ms: round(m.p99, 2),
      maxMs: round(m.max, 2),
      commands: m.ok,
      non2xx: m.non2xx,
      errors: m.errors,
      timeouts: m.timeouts,
      statusCounts: m.statusCounts,
      serverCpuPct: round(m.serverCpuPct, 0),
      loadGeneratorCpuPct: round(m.loadGenCpuPct, 0),
      otherProcessesCpuPct: round(m.otherCpuPct, 0),
      mainThreadUsPerCommand: round(m.mainThreadUsPerRequest, 0),
      ...(m.attendeesPerActivityAtEnd !== undefined ? { attendeesPerActivityAtEnd: m.attendeesPerActivityAtEnd } : {}),
      ...(m.meanGroupSize !== undefined ? { meanGroupSize: round(m.meanGroupSize, 1) } : {}),
      ...(m.retries !== undefined ? { retries: m.retries } : {}),
      baseline: {
        requestsPerSecond: round(b.perSecond, 1),
        p50Ms: round(b.p50, 2),
        p99Ms: round(b.p99, 2),
        non2xx: b.non2xx,
        serverCpuPct: round(b.serverCpuPct, 0),
        loadGeneratorCpuPct: round(b.loadGenCpuPct, 0),
        otherProcessesCpuPct: round(b.otherCpuPct, 0),
        mainThreadUsPerRequest: round(b.mainThreadUsPerRequest, 0),
      },
      bareFastify: { requestsPerSecond: round(f.perSecond, 1), p50Ms: round(f.p50, 2), p99Ms: round(f.p99, 2), non2xx: f.non2xx, serverCpuPct: round(f.serverCpuPct, 0), mainThreadUsPerRequest: round(f.mainThreadUsPerRequest, 0) },
      ratio: round(ratio, 3),
      ratioToBareFastify: round(m.perSecond / f.perSecond, 3),
      ...(postgres ? { ratioToPostgres: { singleRow: round(m.perSecond / postgres.singleRowRowsPerSecond, 2), batched: round(m.perSecond / postgres.batchedRowsPerSecond, 3) } } : {}),
      targets: { ratio: TARGETS.ratio, p99Ms: TARGETS.p99Ms },
      pass: { ratio: ratio >= TARGETS.ratio, p99: m.p99 <= TARGETS.p99Ms },
    };
  });
  return {
    options: { seconds: opts.seconds, warmupSeconds: opts.warmupSeconds, connections: opts.connections, volunteers: opts.volunteers, activities: opts.activities, logLevel: opts.logLevel, store: opts.store },
    ...(postgres ? { postgres } : {}),
    setupSeconds: round(setupSeconds, 1),
    serverCommandCounters: counters,
    disk,
    scenarios,
  };
}

/**
 * Raw inserts of the same kind of events into the event store's own table on the same cluster, once the
 * servers are stopped: single-row (one per transaction) and batched (100 per INSERT), 8 connections
 * (bench/postgres.js's baselines, with its defaults).
 */
async function postgresBaselines(cluster) {
  const pg = require('./postgres');
  const opts = pg.options({ events: 50_000 });
  process.stderr.write(`write path: PostgreSQL BASELINES, ${opts.events} rows over ${opts.connections} connections, single-row and ${opts.batch}-row inserts...\n`);
  const single = await pg.measureBaseline(await createDatabase(cluster, 'bench_single'), opts, 1);
  const batched = await pg.measureBaseline(await createDatabase(cluster, 'bench_batched'), opts, opts.batch);
  return {
    version: cluster.version, connections: opts.connections, rowsPerTransaction: opts.batch,
    singleRowRowsPerSecond: round(single.perSecond), batchedRowsPerSecond: round(batched.perSecond),
  };
}

/**
 * The disk's floor under a durable command: every commit waits for one fdatasync of the -wal file, and
 * a command arriving while a commit is under way waits for that one and its own. Timed right after the
 * scenarios (the servers stopped), in the same data directory (same filesystem and device), 16 KB written before each sync
 * (about one group commit of WAL frames).
 */
function diskSyncLatency(dir, syncs = 300) {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(16 * 1024, 1);
  const ms = [];
  try {
    for (let i = 0; i < syncs; i++) {
      writeSync(fd, block, 0, block.length, (i % 64) * block.length);
      const t = process.hrtime.bigint();
      fdatasyncSync(fd);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  ms.sort((a, b) => a - b);
  return { syncs, p50Ms: round(percentile(ms, 50), 2), p99Ms: round(percentile(ms, 99), 2), maxMs: round(ms[ms.length - 1], 2) };
}

function print(result) {
  const lines = [];
  lines.push(`Write path${result.options.store === 'postgres' ? ' on PostgreSQL' : ''} (${result.options.connections} connections, ${result.options.seconds} s per scenario, ` +
    `${result.options.volunteers} volunteers, ${result.options.activities} activities; setup took ${result.setupSeconds} s)`);
  for (const s of result.scenarios) {
    const mark = (ok) => (ok ? 'ok' : 'MISSED');
    lines.push(`  ${s.scenario}`);
    lines.push(`    measured: ${fmt(s.commandsPerSecond)} commands/s, p50 ${fmt(s.p50Ms, 1)} ms, p99 ${fmt(s.p99Ms, 1)} ms (target <= ${s.targets.p99Ms} ms: ${mark(s.pass.p99)}), ` +
      `non-2xx ${s.non2xx}${s.non2xx ? ` ${JSON.stringify(s.statusCounts)}` : ''}, errors ${s.errors}; CPU % of one core: server ${fmt(s.serverCpuPct)}, ` +
      `load generator ${fmt(s.loadGeneratorCpuPct)}, other processes ${fmt(s.otherProcessesCpuPct)}` +
      (s.meanGroupSize !== undefined ? `; ${s.meanGroupSize} appends per commit` : '') +
      (s.retries !== undefined ? `; ${s.retries} retries after a version conflict` : '') +
      (s.attendeesPerActivityAtEnd !== undefined ? `; ~${s.attendeesPerActivityAtEnd} attendees per activity at the end` : ''));
    lines.push(`    baseline: ${fmt(s.baseline.requestsPerSecond)} req/s, p50 ${fmt(s.baseline.p50Ms, 1)} ms, p99 ${fmt(s.baseline.p99Ms, 1)} ms; ` +
      `CPU % of one core: server ${fmt(s.baseline.serverCpuPct)}, load generator ${fmt(s.baseline.loadGeneratorCpuPct)}, other processes ${fmt(s.baseline.otherProcessesCpuPct)}`);
    lines.push(`    bare Fastify (JSON-schema validation only): ${fmt(s.bareFastify.requestsPerSecond)} req/s, p50 ${fmt(s.bareFastify.p50Ms, 1)} ms, p99 ${fmt(s.bareFastify.p99Ms, 1)} ms, non-2xx ${s.bareFastify.non2xx}`);
    lines.push(`    main-thread CPU per request: measured ${fmt(s.mainThreadUsPerCommand)} µs, baseline ${fmt(s.baseline.mainThreadUsPerRequest)} µs, ` +
      `bare Fastify ${fmt(s.bareFastify.mainThreadUsPerRequest)} µs (the event loop caps throughput)`);
    lines.push(`    ratio measured/baseline: ${fmt(s.ratio, 2)} (target >= ${s.targets.ratio}: ${mark(s.pass.ratio)}); measured/bare Fastify: ${fmt(s.ratioToBareFastify, 2)}`);
    if (s.ratioToPostgres) {
      lines.push(`    commands/s against raw PostgreSQL inserts: ${fmt(s.ratioToPostgres.singleRow, 2)} × single-row, ${fmt(s.ratioToPostgres.batched, 2)} × ${result.postgres.rowsPerTransaction}-row`);
    }
  }
  if (result.postgres) {
    lines.push(`  every store in PostgreSQL ${result.postgres.version} (throwaway cluster); raw inserts of the same events on it, same run, ` +
      `${result.postgres.connections} connections: single-row ${fmt(result.postgres.singleRowRowsPerSecond)} rows/s, ` +
      `${result.postgres.rowsPerTransaction}-row ${fmt(result.postgres.batchedRowsPerSecond)} rows/s (the appends' own target against these: bench/postgres.js)`);
  }
  if (result.disk) {
    lines.push(`  disk under the data dir: fdatasync of 16 KB p50 ${fmt(result.disk.p50Ms, 2)} ms, p99 ${fmt(result.disk.p99Ms, 2)} ms, max ${fmt(result.disk.maxMs, 1)} ms ` +
      `(${result.disk.syncs} syncs right after the scenarios; a command waits for one or two of these)`);
  }
  return lines.join('\n');
}

module.exports = { run, print, TARGETS, load };

if (require.main === module) require('./support/common').runStandalone(run, print);
