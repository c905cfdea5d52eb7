'use strict';
/**
 * Shared helpers for the benchmarks: child processes (always killed at the end),
 * free loopback ports, temp dirs, percentiles and formatting.
 */
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const HOST = '127.0.0.1';

/** Fails with a clear message when `npm run build` has not been run. */
function requireBuild() {
  const entry = join(DIST, 'apps', 'haitang', 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------
// Child processes and temp dirs: tracked so that they are cleaned up on every exit path.
const children = new Set();
const tempDirs = new Set();

function killAllSync() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  children.clear();
  for (const dir of tempDirs) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  tempDirs.clear();
}

let hooksInstalled = false;
function installCleanupHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping child processes`);
      killAllSync();
      process.exit(130);
    });
  }
}

function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeTempDir(dir) {
  tempDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Stops tracking a temp dir, so that it outlives the process (for diagnostics). */
function keepTempDir(dir) {
  tempDirs.delete(dir);
}

/**
 * Starts `node <script>` as a tracked child, waits until GET <healthPath> answers 200 (polled every pollMs).
 * Output is kept (last 64 KB) for error messages, never echoed.
 */
async function startServer({ name, script, env, nodeArgs = [], healthPath = '/health', timeoutMs = 30_000, pollMs = 50 }) {
  installCleanupHooks();
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk) => {
    output += chunk;
    if (output.length > 65536) output = output.slice(-65536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) => child.once('exit', () => { children.delete(child); resolveExit(); }));
  const baseUrl = `http://${HOST}:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(baseUrl + healthPath);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(pollMs);
  }
  return {
    name,
    baseUrl,
    port,
    child,
    /** From spawn to the first 200 on healthPath (resolution: pollMs). */
    startedInMs: performance.now() - spawnedAt,
    output: () => output,
    /** CPU time (user+system, ms) the child has used so far, from /proc (Linux). */
    cpuMs: () => processCpuMs(child.pid),
    /** CPU time (ms) of the child's main thread alone: the event loop that parses HTTP and runs every handler. */
    mainThreadCpuMs: () => processCpuMs(child.pid, child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
/** CPU time (ms) of a process, or with `tid` of one of its threads (the main thread's tid is the pid). */
function processCpuMs(pid, tid) {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (0-based after the command name)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** CPU time (ms) all processes on the machine have used since boot (busy = not idle, not iowait), from /proc/stat. */
function machineBusyMs() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return ((user + nice + system + irq + softirq + (steal || 0)) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Percentile (0..100) of an ascending-sorted numeric array, nearest-rank. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
async function pool(count, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

/** The Asia/Shanghai calendar date (UTC+8, no DST) of now, YYYY-MM-DD. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const round = (x, digits = 0) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);
const fmt = (x, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

/**
 * Sign-in for the benches. Every route of the app needs a bearer token: the measured app is
 * started with a first admin (benchAdminEnv: HAITANG_ADMIN_USER/PASSWORD, write limits raised so
 * the load is not answered 429) and the bench signs in as it once (POST /api/v1/sessions); the
 * token is then reused, as a client does (a verified token is remembered by the server, so the
 * figures include its verification but not a sign-in per request). The scope check an official
 * or staff member adds (read-model lookups of the target's unit) is not part of an admin's
 * request. One password per bench process, so that a data dir handed from one bench to the next
 * (bench/run.js) signs in again with the admin it already holds.
 */
const BENCH_ADMIN = 'bench-admin';
const BENCH_ADMIN_PASSWORD = require('node:crypto').randomUUID();

function benchAdminEnv() {
  return {
    HAITANG_ADMIN_USER: BENCH_ADMIN, HAITANG_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
    HAITANG_WRITE_RATE_LIMIT: '100000000', HAITANG_WRITE_RATE_LIMIT_PER_IP: '100000000',
  };
}

/** Signs in over HTTP: the bearer token. */
async function signIn(baseUrl, username = BENCH_ADMIN, password = BENCH_ADMIN_PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`sign-in as ${username} answered ${res.status}: ${text}`);
  return JSON.parse(text).token;
}

/**
 * Gives a started server the headers its requests need (`server.headers`): the app (admin token),
 * the validate-only baseline (its own token from GET /bench-token: it verifies tokens the same way),
 * or none (bare Fastify has no sign-in).
 */
async function authorize(server, kind = 'app') {
  if (kind === 'app') server.headers = { authorization: `Bearer ${await signIn(server.baseUrl)}` };
  else if (kind === 'validate-only') server.headers = { authorization: `Bearer ${(await (await fetch(`${server.baseUrl}/bench-token`)).json()).token}` };
  else server.headers = {};
  return server.headers;
}

/** Autocannon requests with a server's headers added. */
const withHeaders = (server, requests) => requests.map((r) => ({ ...r, headers: { ...(r.headers ?? {}), ...(server.headers ?? {}) } }));

module.exports = {
  ROOT, DIST, HOST, requireBuild, freePort, startServer, installCleanupHooks, killAllSync,
  makeTempDir, removeTempDir, keepTempDir, sleep, percentile, pool, shanghaiToday, round, fmt, processCpuMs, machineBusyMs,
  benchAdminEnv, signIn, authorize, withHeaders,
};

/** Runs a benchmark file on its own (`node bench/x.js`): prints its figures, kills its children. */
function runStandalone(run, print) {
  run()
    .then((result) => console.log(print(result)))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(killAllSync);
}
module.exports.runStandalone = runStandalone;
