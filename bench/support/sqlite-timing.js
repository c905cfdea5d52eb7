'use strict';
/**
 * Diagnostic preload (not used by `npm run bench`): times every better-sqlite3 statement
 * call in the process it is loaded into, grouped by database file and SQL text, and
 * writes the totals as JSON to $BENCH_SQLITE_TIMING_OUT every second (and at exit).
 *
 *   BENCH_SQLITE_TIMING=/tmp/sqlite-timing.json BENCH_SCENARIOS=service-record node bench/write-path.js
 *   node bench/support/sqlite-timing.js /tmp/sqlite-timing.json     (prints a summary)
 *
 * write-path.js starts the measured app with `node -r bench/support/sqlite-timing.js`
 * when BENCH_SQLITE_TIMING is set. The totals are reset when the file
 * $BENCH_SQLITE_TIMING_OUT.reset appears (write-path.js creates it when a measured run starts),
 * so they cover the measured run only. Wall time of a synchronous SQLite call includes
 * fsync waits (COMMIT with synchronous=FULL).
 */
const { existsSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename } = require('node:path');

function install(out) {
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  let totals = new Map();
  let since = Date.now();
  const record = (stmt, method, t0) => {
    const ns = Number(process.hrtime.bigint() - t0);
    const key = `${basename(stmt.database.name)}\t${method}\t${stmt.source.replace(/\s+/g, ' ').slice(0, 160)}`;
    const entry = totals.get(key);
    if (entry) {
      entry.calls += 1;
      entry.ns += ns;
      if (ns > entry.maxNs) entry.maxNs = ns;
      if (ns > 10e6) entry.over10ms += 1;
    } else totals.set(key, { calls: 1, ns, maxNs: ns, over10ms: ns > 10e6 ? 1 : 0 });
  };
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = proto[method];
    if (typeof original !== 'function') continue;
    proto[method] = function timed(...args) {
      const t0 = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        record(this, method, t0);
      }
    };
  }
  const flush = () => {
    if (existsSync(`${out}.reset`)) {
      rmSync(`${out}.reset`, { force: true });
      totals = new Map();
      since = Date.now();
      return;
    }
    const rows = [...totals].map(([key, v]) => {
      const [file, method, sql] = key.split('\t');
      return { file, method, sql, calls: v.calls, ms: v.ns / 1e6, maxMs: v.maxNs / 1e6, over10ms: v.over10ms };
    });
    writeFileSync(out, JSON.stringify({ seconds: (Date.now() - since) / 1000, rows }));
  };
  setInterval(flush, 1000).unref();
  process.on('exit', flush);
}

function summarise(file) {
  const { seconds, rows } = JSON.parse(readFileSync(file, 'utf8'));
  rows.sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const lines = [`SQLite statement time over ${seconds.toFixed(1)} s: ${total.toFixed(0)} ms (${((total / (seconds * 1000)) * 100).toFixed(0)}% of the main thread)`];
  for (const r of rows.slice(0, 30)) {
    lines.push(`${r.ms.toFixed(0).padStart(7)} ms ${String(r.calls).padStart(8)} calls ${((r.ms * 1000) / r.calls).toFixed(1).padStart(7)} µs/call ` +
      `max ${r.maxMs.toFixed(1).padStart(6)} ms, ${String(r.over10ms).padStart(4)} > 10 ms  ${r.file} ${r.method} ${r.sql}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  console.log(summarise(process.argv[2]));
} else if (process.env.BENCH_SQLITE_TIMING_OUT) {
  install(process.env.BENCH_SQLITE_TIMING_OUT);
}

module.exports = { summarise };
