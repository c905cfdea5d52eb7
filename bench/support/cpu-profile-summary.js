'use strict';
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF_DIR=... node bench/write-path.js):
 * top functions by self time, top by inclusive time, and self time grouped by package / project file.
 *
 *   node bench/support/cpu-profile-summary.js <file.cpuprofile> [topN=25] [substring filter for inclusive list]
 *
 * BENCH_PROFILE_LAST=<seconds> keeps only the samples of the profile's last N seconds
 * (the measured app is stopped right after the last scenario, so this drops start-up and setup).
 */
const { readFileSync } = require('node:fs');

const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace(/^.*\/dist\//, 'dist:');
/** A profile node as "function file:line". */
const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
/** A profile node's package, project directory (three levels under dist/), node: module, or V8 pseudo-frame. */
const groupOf = (n) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native/V8)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return `pkg ${nm[1]}`;
  const dist = url.match(/dist\/(.*)$/);
  if (dist) return `dist ${dist[1].split('/').slice(0, 3).join('/')}`;
  if (url.startsWith('node:')) return url;
  return 'other';
};

function summarise(file, top = 25, filter = '', lastSeconds = 0) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Self time per node from samples and timeDeltas.
  const self = new Map();
  let total = 0;
  const times = [];
  let t = profile.startTime;
  for (const dt of profile.timeDeltas) times.push((t += dt));
  const from = lastSeconds > 0 ? profile.endTime - lastSeconds * 1e6 : -Infinity;
  profile.samples.forEach((id, i) => {
    if (times[i] < from) return;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });

  const selfByFn = new Map();
  const selfByGroup = new Map();
  const inclusive = new Map();
  for (const [id, t] of self) {
    const n = nodes.get(id);
    selfByFn.set(keyOf(n), (selfByFn.get(keyOf(n)) ?? 0) + t);
    selfByGroup.set(groupOf(n), (selfByGroup.get(groupOf(n)) ?? 0) + t);
    // Inclusive: add to every distinct function on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(nodes.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
  const list = (m, n, f = () => true) => [...m].filter(([k]) => f(k)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `  ${pct(t)}  ${k}`).join('\n');
  return [
    `profile: ${(total / 1e6).toFixed(1)} s sampled`,
    'self time by package / file group:', list(selfByGroup, top),
    'top functions by self time:', list(selfByFn, top),
    `top functions by inclusive time${filter ? ` (matching "${filter}")` : ''}:`, list(inclusive, top, (k) => !filter || k.includes(filter)),
  ].join('\n');
}

/**
 * Two profiles side by side, in µs per request: each profile's busy (non-idle) time split by group
 * (package, project directory, or function with byFunction) and scaled to the main-thread CPU µs per
 * request the benchmark printed for it. Sorted by the difference: where the measured app spends more.
 */
function compare([fileA, usA, fileB, usB], byFunction = false, top = 30) {
  // A file may be given as <file>@<seconds> (samples of its first <seconds>, start-up, are left out)
  // or <file>~<seconds> (only its last <seconds> count).
  const shares = (spec) => {
    const [file, skip] = spec.split('@');
    const [path, last] = file.split('~');
    const profile = JSON.parse(readFileSync(path, 'utf8'));
    const after = Math.max(profile.startTime + Number(skip ?? 0) * 1e6, last ? profile.endTime - Number(last) * 1e6 : -Infinity);
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime;
    const byKey = new Map();
    let busy = 0;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas[i] ?? 0;
      if (t < after) return;
      const n = nodes.get(id);
      if (n.callFrame.functionName === '(idle)') return;
      const dt = profile.timeDeltas[i] ?? 0;
      const key = byFunction ? keyOf(n) : groupOf(n);
      byKey.set(key, (byKey.get(key) ?? 0) + dt);
      busy += dt;
    });
    return { byKey, busy };
  };
  const a = shares(fileA);
  const b = shares(fileB);
  const rows = [...new Set([...a.byKey.keys(), ...b.byKey.keys()])].map((k) => {
    const x = ((a.byKey.get(k) ?? 0) / a.busy) * Number(usA);
    const y = ((b.byKey.get(k) ?? 0) / b.busy) * Number(usB);
    return [k, x, y, x - y];
  }).sort((p, q) => q[3] - p[3]);
  const f = (v) => v.toFixed(1).padStart(7);
  return [`µs per request   A=${fileA} (${usA} µs)   B=${fileB} (${usB} µs)`, `      A       B    A-B  group`,
    ...rows.slice(0, top).map(([k, x, y, d]) => `${f(x)} ${f(y)} ${f(d)}  ${k}`)].join('\n');
}

if (require.main === module && process.argv[2] === '--compare') {
  // node bench/support/cpu-profile-summary.js --compare A.cpuprofile[~lastSeconds] <µs/request of A> B.cpuprofile[@skipSeconds] <µs/request of B> [--functions]
  const args = process.argv.slice(3).filter((a) => a !== '--functions');
  console.log(compare(args, process.argv.includes('--functions')));
} else if (require.main === module) {
  const [file, top, filter] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/support/cpu-profile-summary.js <file.cpuprofile> [topN] [filter]');
    process.exit(2);
  }
  console.log(summarise(file, Number(top ?? 25), filter ?? '', Number(process.env.BENCH_PROFILE_LAST ?? 0)));
}

module.exports = { summarise, compare };
