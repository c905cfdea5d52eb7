'use strict';
/**
 * A throwaway PostgreSQL cluster for tests and benchmarks, from the server
 * binaries Debian's `postgresql` package installs (/usr/lib/postgresql/<n>/bin):
 * initdb into a temp dir, pg_ctl start on a free port (listening on 127.0.0.1
 * only, its unix socket in the temp dir), stopped and removed afterwards.
 * PostgreSQL refuses to run as root, so when this process is root the cluster
 * runs as the system user `haitang-pg` (created if missing).
 *
 * Plain CommonJS so that the benchmarks (plain node) use the same code as the
 * jest suites (typed by postgres-cluster.d.ts).
 */
const { spawn, spawnSync } = require('node:child_process');
const { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const SYSTEM_USER = 'haitang-pg';
const SUPERUSER = 'haitang';
/** Every step is bounded: a cluster that cannot start within these fails the suite instead of hanging it. */
const INITDB_TIMEOUT_MS = 60_000;
const START_TIMEOUT_S = 30;

/**
 * The newest server binaries: /usr/lib/postgresql/<newest>/bin, or only $HAITANG_PG_BIN when set.
 * Returns { binDir, version } or { missing: why }.
 */
function findPostgresBinaries() {
  const wanted = process.env.HAITANG_PG_BIN;
  const candidates = [];
  if (wanted) {
    candidates.push({ binDir: wanted, version: 0 });
  } else if (existsSync('/usr/lib/postgresql')) {
    for (const name of readdirSync('/usr/lib/postgresql')) {
      const version = Number.parseFloat(name);
      if (Number.isFinite(version)) candidates.push({ binDir: join('/usr/lib/postgresql', name, 'bin'), version });
    }
  }
  const usable = candidates
    .filter((c) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(c.binDir, b))))
    .sort((a, b) => b.version - a.version);
  if (usable.length === 0) {
    return {
      missing: wanted
        ? `no PostgreSQL server binaries (initdb, pg_ctl) in HAITANG_PG_BIN=${wanted}`
        : 'no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin: install the `postgresql` package (.ci/run does)',
    };
  }
  if (isRoot() && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) {
    return { missing: 'running as root and `runuser` is missing, so the cluster cannot run as a non-root user' };
  }
  return usable[0];
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Creates the system user the cluster runs as (root only); tolerates a concurrent creation. */
function ensureSystemUser() {
  const lookup = () => spawnSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8' });
  let found = lookup();
  if (found.status !== 0) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER], { encoding: 'utf8' });
    found = lookup();
    if (found.status !== 0) throw new Error(`Could not create the system user ${SYSTEM_USER}: ${created.stderr || created.error}`);
  }
  const uid = Number(found.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid };
}

/** Runs a server binary, as the cluster's user when we are root. */
function runAs(owner, command, args, timeoutMs) {
  const [file, argv] = owner ? ['runuser', ['-u', SYSTEM_USER, '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status}${result.signal ? ` (${result.signal})` : ''}`;
    throw new Error(`${command} ${args.join(' ')} failed: ${why}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh cluster. Options: `watchPid` (default: this process): a small
 * watchdog stops and removes the cluster once that process is gone, so a
 * killed test run never leaves a server behind; `alsoRemove`: a directory the
 * watchdog removes with it.
 * Returns { port, host, user, dir, binDir, version, url(database), stop() }.
 */
async function startCluster(options = {}) {
  const found = findPostgresBinaries();
  if (found.missing) throw new Error(`PostgreSQL is not available: ${found.missing}`);
  const { binDir, version } = found;
  const owner = isRoot() ? ensureSystemUser() : null;
  const dir = mkdtempSync(join(tmpdir(), 'haitang-pg-'));
  const dataDir = join(dir, 'data');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o700);
  const started = Date.now();
  let watchdog = null;
  try {
    // -N: initdb does not fsync its template files (a throwaway cluster); the server itself runs with fsync on.
    runAs(owner, join(binDir, 'initdb'), ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '-N'], INITDB_TIMEOUT_MS);
    let port;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const conf = [
        '', '# haitang test cluster',
        "listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${dir}'`,
        'max_connections = 300', 'fsync = on', 'synchronous_commit = on', "timezone = 'UTC'",
        'shared_buffers = 128MB', 'max_wal_size = 1GB', "log_min_messages = 'warning'",
      ].join('\n');
      appendFileSync(join(dataDir, 'postgresql.conf'), `${conf}\n`);
      try {
        runAs(owner, join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', String(START_TIMEOUT_S), 'start'], (START_TIMEOUT_S + 10) * 1000);
        break;
      } catch (error) {
        // Another process may have taken the port between our probe and the server's bind: try another.
        if (attempt >= 3) throw new Error(`${error.message}\n${readLog(dir)}`);
      }
    }
    watchdog = startWatchdog(options.watchPid ?? process.pid, owner, binDir, dataDir, [dir, ...(options.alsoRemove ? [options.alsoRemove] : [])]);
    const cluster = {
      host: '127.0.0.1', port, user: SUPERUSER, dir, binDir, version, startedInMs: Date.now() - started,
      watchdogPid: watchdog.pid,
      url: (database = 'postgres') => `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      stop: () => stopCluster(cluster, owner),
    };
    return cluster;
  } catch (error) {
    if (watchdog) try { process.kill(watchdog.pid, 'SIGKILL'); } catch { /* gone */ }
    try { runAs(owner, join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], 20_000); } catch { /* not running */ }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function readLog(dir) {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

/** A detached shell that waits for `pid` to exit, then stops the server and removes its directories. */
function startWatchdog(pid, owner, binDir, dataDir, dirs) {
  const dir = dirs[0];
  const pgCtl = `${owner ? `runuser -u ${SYSTEM_USER} -- ` : ''}'${join(binDir, 'pg_ctl')}' -D '${dataDir}' -m immediate -w stop`;
  const script = `while kill -0 ${pid} 2>/dev/null; do sleep 1; done; ${pgCtl} >/dev/null 2>&1; rm -rf ${dirs.map((d) => `'${d}'`).join(' ')}`;
  // Started in the background of a shell that exits at once: the watchdog is nobody's child here, so it
  // never holds up the exit of the (jest worker) process that started the cluster. Its pid is written to a file.
  const pidFile = join(dir, 'watchdog.pid');
  spawnSync('sh', ['-c', `(${script}) >/dev/null 2>&1 </dev/null & echo $! > '${pidFile}'`], { stdio: 'ignore' });
  return { pid: Number(readFileSync(pidFile, 'utf8').trim()) };
}

function stopCluster(cluster, owner) {
  const dataDir = join(cluster.dir, 'data');
  try {
    runAs(owner, join(cluster.binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '20', 'stop'], 30_000);
  } catch {
    try { runAs(owner, join(cluster.binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], 20_000); } catch { /* already stopped */ }
  }
  try { process.kill(cluster.watchdogPid, 'SIGKILL'); } catch { /* already gone */ }
  rmSync(cluster.dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// One cluster per test run, shared by every jest worker. globalSetup sets
// HAITANG_TEST_PG_STATE to a run directory (nothing is started then); the first
// suite that needs PostgreSQL starts the cluster under a lock and writes its
// address there; globalTeardown stops it. A run that needs no PostgreSQL pays nothing.

function lock(dir) {
  const lockDir = join(dir, 'lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      return () => rmdirSync(lockDir);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

let processCluster = null;

/** The run's shared cluster (started on first use); { port, url(database) }. */
async function sharedCluster() {
  const stateDir = process.env.HAITANG_TEST_PG_STATE;
  if (!stateDir || !existsSync(stateDir)) {
    // Not under jest's globalSetup: a cluster for this process alone, stopped by its watchdog at exit.
    processCluster ??= startCluster();
    const cluster = await processCluster;
    return { port: cluster.port, url: cluster.url };
  }
  const stateFile = join(stateDir, 'cluster.json');
  const unlock = lock(stateDir);
  try {
    if (!existsSync(stateFile)) {
      const cluster = await startCluster({ watchPid: Number(process.env.HAITANG_TEST_RUN_PID) || process.ppid, alsoRemove: stateDir });
      const { stop: _stop, url: _url, ...state } = cluster;
      writeFileSync(stateFile, JSON.stringify(state));
    }
  } finally {
    unlock();
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  return { port: state.port, url: (database = 'postgres') => `postgres://${state.user}@127.0.0.1:${state.port}/${encodeURIComponent(database)}` };
}

/** Stops the run's shared cluster, if a suite started one (globalTeardown). */
function stopSharedCluster(stateDir) {
  const stateFile = join(stateDir, 'cluster.json');
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    stopCluster(state, isRoot() ? ensureSystemUser() : null);
  }
  rmSync(stateDir, { recursive: true, force: true });
}

let databaseCounter = 0;

/** A new, empty database on the cluster; returns its URL. */
async function createDatabase(cluster, prefix = 'haitang') {
  const { Client } = require('pg');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}_${++databaseCounter}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return cluster.url(name);
}

module.exports = { findPostgresBinaries, startCluster, sharedCluster, stopSharedCluster, createDatabase, SYSTEM_USER };

// Used by scripts: `node test/support/postgres-cluster.js check` prints whether the binaries are there.
if (require.main === module) {
  const found = findPostgresBinaries();
  console.log(found.missing ? `missing: ${found.missing}` : `PostgreSQL ${found.version} in ${found.binDir}`);
  process.exitCode = found.missing ? 1 : 0;
}
