'use strict';
/**
 * Runs every benchmark in sequence (write path, event store, read side, cold start, scaling),
 * prints Markdown tables and writes bench/results/latest.json.
 *
 *   npm run bench                        (full: 10 s per scenario, 100k appends, a 1M-event log,
 *                                         scaling over 10k / 100k / 1M events)
 *   BENCH_PROFILE=short npm run bench    (short: 5 s per scenario, 20k appends, a 200k-event log,
 *                                         scaling over 10k / 50k / 200k events)
 *
 * Cold start and the largest size of the scaling table reuse the read side's data dir (its log
 * and rebuilt read models), so the largest log is generated and rebuilt once.
 * BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_EVENTS, BENCH_LOG_EVENTS and BENCH_LOG_VOLUNTEERS
 * override the profile; see bench/README.md.
 */
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { killAllSync, fmt, installCleanupHooks, removeTempDir } = require('./support/common');
const writePath = require('./write-path');
const eventStore = require('./event-store');
const readSide = require('./read-side');
const coldStart = require('./cold-start');
const scaling = require('./scaling');
const postgres = require('./postgres');
const { findPostgresBinaries } = require('../test/support/postgres-cluster');

const PROFILES = {
  short: { seconds: 5, warmupSeconds: 1, events: 20_000, ...pickLog(readSide.PROFILES.short) },
  full: { seconds: 10, warmupSeconds: 2, events: 100_000, ...pickLog(readSide.PROFILES.full) },
};

function pickLog({ logEvents, logVolunteers }) {
  return { logEvents, logVolunteers };
}

function profile() {
  const name = process.env.BENCH_PROFILE || 'full';
  const base = PROFILES[name];
  if (!base) throw new Error(`BENCH_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got "${name}"`);
  const num = (v, dflt) => (v !== undefined && v !== '' ? Number(v) : dflt);
  return {
    name,
    seconds: num(process.env.BENCH_SECONDS, base.seconds),
    warmupSeconds: num(process.env.BENCH_WARMUP_SECONDS, base.warmupSeconds),
    events: num(process.env.BENCH_EVENTS, base.events),
    logEvents: num(process.env.BENCH_LOG_EVENTS, base.logEvents),
    logVolunteers: num(process.env.BENCH_LOG_VOLUNTEERS, base.logVolunteers),
  };
}

const verdict = (ok) => (ok ? 'ok' : 'missed');

function markdown(wp, es, pg, rs, cs) {
  const rows = [
    '| Figure | Measured | Baseline | Measured / baseline | Target |',
    '|---|---:|---:|---:|---|',
  ];
  for (const s of wp.scenarios) {
    rows.push(`| ${s.scenario}: commands/s (2xx/s) | ${fmt(s.commandsPerSecond)} | ${fmt(s.baseline.requestsPerSecond)} req/s | ${fmt(s.ratio, 2)} | ≥ ${s.targets.ratio}: ${verdict(s.pass.ratio)} |`);
    rows.push(`| ${s.scenario}: commands/s vs bare Fastify | ${fmt(s.commandsPerSecond)} | ${fmt(s.bareFastify.requestsPerSecond)} req/s | ${fmt(s.ratioToBareFastify, 2)} | |`);
    rows.push(`| ${s.scenario}: p50 latency (ms) | ${fmt(s.p50Ms, 1)} | ${fmt(s.baseline.p50Ms, 1)} | | |`);
    rows.push(`| ${s.scenario}: p99 latency (ms) | ${fmt(s.p99Ms, 1)} | ${fmt(s.baseline.p99Ms, 1)} | | ≤ ${s.targets.p99Ms}: ${verdict(s.pass.p99)} |`);
    rows.push(`| ${s.scenario}: non-2xx answers | ${s.non2xx} | ${s.baseline.non2xx} | | 0 |`);
    rows.push(`| ${s.scenario}: server CPU (% of one core) | ${fmt(s.serverCpuPct)} | ${fmt(s.baseline.serverCpuPct)} | | |`);
  }
  if (wp.disk) rows.push(`| disk under the data dir: fdatasync (16 KB) p50 / p99 (ms) | ${fmt(wp.disk.p50Ms, 2)} / ${fmt(wp.disk.p99Ms, 2)} | | | |`);
  rows.push(`| event store: appends/s | ${fmt(es.appendsPerSecond)} | ${fmt(es.baseline.rowsPerSecond)} rows/s | ${fmt(es.ratio, 2)} | ≥ ${es.targets.ratio}: ${verdict(es.pass.ratio)} |`);
  rows.push(`| event store: mean group-commit size (rows/transaction) | ${fmt(es.groupCommit.meanSize, 1)} | ${es.baseline.rowsPerTransaction} | | |`);
  rows.push(`| event store: append p50 / p99 (ms) | ${fmt(es.appendP50Ms, 1)} / ${fmt(es.appendP99Ms, 1)} | | | |`);
  rows.push(`| event store: CPU per append / per row (µs) | ${fmt(es.cpuMicrosPerAppend, 1)} | ${fmt(es.baseline.cpuMicrosPerRow, 1)} | | |`);
  if (pg) {
    const e = pg.eventStore;
    rows.push(`| PostgreSQL event store: appends/s | ${fmt(e.appendsPerSecond)} | ${fmt(e.batched.rowsPerSecond)} rows/s (${e.batched.rowsPerTransaction}-row inserts) | ${fmt(e.ratioVsBatched, 2)} | ≥ ${e.targets.ratioVsBatched}: ${verdict(e.pass.ratioVsBatched)} |`);
    rows.push(`| PostgreSQL event store: appends/s vs single-row inserts | ${fmt(e.appendsPerSecond)} | ${fmt(e.singleRow.rowsPerSecond)} rows/s | ${fmt(e.ratioVsSingleRow, 2)} | |`);
    if (pg.rebuild) {
      const b = pg.rebuild;
      rows.push(`| PostgreSQL read models: rebuild events/s | ${fmt(b.rebuildEventsPerSecond)} | ${fmt(b.baseline.eventsPerSecond)} (raw read + upsert) | ${fmt(b.ratio, 2)} | ≥ ${b.targets.eventsPerSecond} events/s: ${verdict(b.pass.eventsPerSecond)} |`);
    }
  } else {
    rows.push('| PostgreSQL | skipped | | | |');
  }
  rows.push(...readSide.markdownRows(rs));
  rows.push(...coldStart.markdownRows(cs));
  return rows.join('\n');
}

/** The machine's load average every 10 s during the run: how shared the machine was. */
function loadSampler() {
  const samples = [];
  const sample = () => {
    try {
      samples.push(Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]));
    } catch { /* not Linux */ }
  };
  sample();
  const timer = setInterval(sample, 10_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample();
    const sorted = [...samples].sort((a, b) => a - b);
    return { samples: samples.length, mean: Number((samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length)).toFixed(2)), min: sorted[0], max: sorted[sorted.length - 1] };
  };
}

async function main() {
  installCleanupHooks();
  const p = profile();
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    tmpdir: os.tmpdir(),
  };
  const stopLoad = loadSampler();
  console.error(`Haitang benchmarks, profile "${p.name}" (${p.seconds} s per scenario, ${p.events} appends, a ${p.logEvents}-event log) on ${machine.cpus} CPU(s), Node ${machine.node}\n`);
  const started = new Date();
  const wp = await writePath.run({ seconds: p.seconds, warmupSeconds: p.warmupSeconds });
  console.log(writePath.print(wp));
  console.log();
  const es = await eventStore.run({ events: p.events });
  console.log(eventStore.print(es));
  console.log();
  // PostgreSQL: on a throwaway cluster of the machine's server binaries (BENCH_POSTGRES=0 skips it).
  let pg = null;
  if (process.env.BENCH_POSTGRES === '0') {
    console.log('PostgreSQL: skipped (BENCH_POSTGRES=0).\n');
  } else if (!findPostgresBinaries()) {
    console.log('PostgreSQL: skipped: no PostgreSQL server binaries (initdb, pg_ctl) on this machine (Debian: apt-get install postgresql).\n');
  } else {
    pg = await postgres.run({ profile: p.name, store: true, events: p.events, logEvents: p.logEvents, logVolunteers: p.logVolunteers });
    console.log(postgres.print(pg));
    console.log();
  }
  const rs = await readSide.run({
    profile: p.name, seconds: p.seconds, warmupSeconds: p.warmupSeconds, logEvents: p.logEvents, logVolunteers: p.logVolunteers, handOver: true,
  });
  console.log(readSide.print(rs));
  console.log();
  let cs;
  let sc;
  try {
    const { dataDir, summary, rebuild } = rs.handOver;
    cs = await coldStart.run({ profile: p.name, dataDir, summary });
    console.log(coldStart.print(cs));
    console.log();
    const sizes = scaling.PROFILES[p.name].sizes.filter(([events]) => events !== p.logEvents);
    sc = await scaling.run({
      profile: p.name,
      sizes: [...sizes, [p.logEvents, p.logVolunteers]],
      reuse: { [p.logEvents]: { dataDir, summary, rebuild } },
    });
    console.log(scaling.print(sc));
    console.log();
  } finally {
    removeTempDir(rs.handOver.dataDir);
  }
  machine.loadAverage = stopLoad();
  const table = markdown(wp, es, pg, rs, cs);
  const scalingTable = scaling.table(sc);
  console.log(table);
  console.log();
  console.log(scalingTable);
  console.log(`\nMachine load average during the run: mean ${machine.loadAverage.mean}, ${machine.loadAverage.min}..${machine.loadAverage.max} (${machine.cpus} CPUs).`);

  const results = {
    date: started.toISOString(),
    profile: p,
    machine,
    writePath: wp,
    eventStore: es,
    postgres: pg,
    readSide: rs,
    coldStart: cs,
    scaling: sc,
    markdown: table,
    scalingMarkdown: scalingTable,
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), [
    `# Haitang benchmarks, profile "${p.name}", ${started.toISOString()}`, '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `load average during the run: mean ${machine.loadAverage.mean} (${machine.loadAverage.min}..${machine.loadAverage.max}).`, '',
    table, '', scalingTable, '',
  ].join('\n'));
  console.error(`\nWrote ${join('bench', 'results', 'latest.json')} and latest.md`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAllSync);
