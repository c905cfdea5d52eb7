'use strict';
/**
 * Runs every benchmark in sequence, prints a Markdown table and writes bench/results/latest.json.
 *
 *   npm run bench                        (full: 10 s per scenario, 100k events)
 *   BENCH_PROFILE=short npm run bench    (short: 5 s per scenario, 20k events)
 *
 * BENCH_SECONDS, BENCH_WARMUP_SECONDS and BENCH_EVENTS override the profile; see bench/README.md.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { killAllSync, fmt, installCleanupHooks } = require('./support/common');
const writePath = require('./write-path');
const eventStore = require('./event-store');

const PROFILES = {
  short: { seconds: 5, warmupSeconds: 1, events: 20_000 },
  full: { seconds: 10, warmupSeconds: 2, events: 100_000 },
};

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
  };
}

const verdict = (ok) => (ok ? 'ok' : 'missed');

function markdown(wp, es) {
  const rows = [
    '| Figure | Measured | Baseline | Measured / baseline | Target |',
    '|---|---:|---:|---:|---|',
  ];
  for (const s of wp.scenarios) {
    rows.push(`| ${s.scenario}: commands/s (2xx/s) | ${fmt(s.commandsPerSecond)} | ${fmt(s.baseline.requestsPerSecond)} req/s | ${fmt(s.ratio, 2)} | ≥ ${s.targets.ratio}: ${verdict(s.pass.ratio)} |`);
    rows.push(`| ${s.scenario}: p50 latency (ms) | ${fmt(s.p50Ms, 1)} | ${fmt(s.baseline.p50Ms, 1)} | | |`);
    rows.push(`| ${s.scenario}: p99 latency (ms) | ${fmt(s.p99Ms, 1)} | ${fmt(s.baseline.p99Ms, 1)} | | ≤ ${s.targets.p99Ms}: ${verdict(s.pass.p99)} |`);
    rows.push(`| ${s.scenario}: non-2xx answers | ${s.non2xx} | ${s.baseline.non2xx} | | 0 |`);
    rows.push(`| ${s.scenario}: server CPU (% of one core) | ${fmt(s.serverCpuPct)} | ${fmt(s.baseline.serverCpuPct)} | | |`);
  }
  rows.push(`| event store: appends/s | ${fmt(es.appendsPerSecond)} | ${fmt(es.baseline.rowsPerSecond)} rows/s | ${fmt(es.ratio, 2)} | ≥ ${es.targets.ratio}: ${verdict(es.pass.ratio)} |`);
  rows.push(`| event store: mean group-commit size (rows/transaction) | ${fmt(es.groupCommit.meanSize, 1)} | ${es.baseline.rowsPerTransaction} | | |`);
  rows.push(`| event store: append p50 / p99 (ms) | ${fmt(es.appendP50Ms, 1)} / ${fmt(es.appendP99Ms, 1)} | | | |`);
  rows.push(`| event store: CPU per append / per row (µs) | ${fmt(es.cpuMicrosPerAppend, 1)} | ${fmt(es.baseline.cpuMicrosPerRow, 1)} | | |`);
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
  console.error(`Haitang benchmarks, profile "${p.name}" (${p.seconds} s per scenario, ${p.events} events) on ${machine.cpus} CPU(s), Node ${machine.node}\n`);
  const started = new Date();
  const wp = await writePath.run({ seconds: p.seconds, warmupSeconds: p.warmupSeconds });
  console.log(writePath.print(wp));
  console.log();
  const es = await eventStore.run({ events: p.events });
  console.log(eventStore.print(es));
  console.log();
  const table = markdown(wp, es);
  console.log(table);

  const results = {
    date: started.toISOString(),
    profile: p,
    machine,
    writePath: wp,
    eventStore: es,
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
