'use strict';
/**
 * Runs every benchmark in sequence (write path, event store, read side), prints a Markdown table
 * and writes bench/results/latest.json.
 *
 *   npm run bench                        (full: 10 s per scenario, 100k appends, a 1M-event log)
 *   BENCH_PROFILE=short npm run bench    (short: 5 s per scenario, 20k appends, a 200k-event log)
 *
 * BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_EVENTS, BENCH_LOG_EVENTS and BENCH_LOG_VOLUNTEERS
 * override the profile; see bench/README.md.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { killAllSync, fmt, installCleanupHooks } = require('./support/common');
const writePath = require('./write-path');
const eventStore = require('./event-store');
const readSide = require('./read-side');

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

function markdown(wp, es, rs) {
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
  rows.push(`| event store: appends/s | ${fmt(es.appendsPerSecond)} | ${fmt(es.baseline.rowsPerSecond)} rows/s | ${fmt(es.ratio, 2)} | ≥ ${es.targets.ratio}: ${verdict(es.pass.ratio)} |`);
  rows.push(`| event store: mean group-commit size (rows/transaction) | ${fmt(es.groupCommit.meanSize, 1)} | ${es.baseline.rowsPerTransaction} | | |`);
  rows.push(`| event store: append p50 / p99 (ms) | ${fmt(es.appendP50Ms, 1)} / ${fmt(es.appendP99Ms, 1)} | | | |`);
  rows.push(`| event store: CPU per append / per row (µs) | ${fmt(es.cpuMicrosPerAppend, 1)} | ${fmt(es.baseline.cpuMicrosPerRow, 1)} | | |`);
  rows.push(...readSide.markdownRows(rs));
  return rows.join('\n');
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
  console.error(`Haitang benchmarks, profile "${p.name}" (${p.seconds} s per scenario, ${p.events} appends, a ${p.logEvents}-event log) on ${machine.cpus} CPU(s), Node ${machine.node}\n`);
  const started = new Date();
  const wp = await writePath.run({ seconds: p.seconds, warmupSeconds: p.warmupSeconds });
  console.log(writePath.print(wp));
  console.log();
  const es = await eventStore.run({ events: p.events });
  console.log(eventStore.print(es));
  console.log();
  const rs = await readSide.run({
    profile: p.name, seconds: p.seconds, warmupSeconds: p.warmupSeconds, logEvents: p.logEvents, logVolunteers: p.logVolunteers,
  });
  console.log(readSide.print(rs));
  console.log();
  const table = markdown(wp, es, rs);
  console.log(table);

  const results = {
    date: started.toISOString(),
    profile: p,
    machine,
    writePath: wp,
    eventStore: es,
    readSide: rs,
    markdown: table,
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.error(`\nWrote ${join('bench', 'results', 'latest.json')}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAllSync);
