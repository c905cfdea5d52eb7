'use strict';
/**
 * Writes a realistic Haitang event log DIRECTLY into an events.sqlite file (raw better-sqlite3,
 * batched inserts), for bench/read-side.js. Not a benchmark: it only prepares data.
 *
 *   node bench/support/generate-log.js <dir> [events=1000000] [volunteers=100000] [seed=20261125]
 *
 * The file has the event store's own schema (migrateEventsDatabase from dist/), positions 1..N,
 * consecutive stream versions from 0 per stream, one command receipt per command (as the app
 * writes them), and events shaped exactly like the domain's (libs/domain): the same type names,
 * the same data fields in the same order, and metadata {eventId, commandId, correlationId,
 * causationId, actor, occurredAt, recordedAt}. Events that one command appends together (a
 * walk-in's enrolment and check-in; a completion and its attendance records) share a commandId
 * and a recordedAt, as DecisionRunner writes them. Everything comes from one seeded PRNG, so
 * the same arguments always give the same log.
 *
 * Content (Asia/Shanghai calendar):
 *  - 2024-12-01: 2 districts, 5 streets each, 10 communities per street (112 OrgUnitRegistered).
 *  - Volunteers: 30 % registered in December 2024, the rest evenly until 2026-10-31; each has a
 *    home community, flags and occupation drawn at random; 2 % later update their profile.
 *  - Activities starting 2025-01-01..2026-10-31 (more at weekends), 85 % on a community, 12 % on a
 *    street, 3 % on a district: ActivityPlanned 1-14 days ahead, a few enrolments (some withdrawn),
 *    walk-ins, check-ins and check-outs (some no-shows, some missed check-outs), then
 *    ActivityCompleted with its credited/notCredited lists and, in the same command, one approved
 *    ServiceRecorded (source attendance, recordId = attendanceRecordId) per credited attendee.
 *    3 % are cancelled, 2 % rescheduled.
 *  - Service records by hand: self-reports (ServiceRecorded pending, then 85 % ServiceApproved,
 *    10 % ServiceRejected, the rest left pending) and staff entries (approved at once).
 *  - 2 % of approved records are later amended (ServiceAmended), 0.5 % revoked (ServiceRevoked).
 *  - Nothing is recorded after 2026-10-31 (a completion or an approval that would fall later is
 *    left out, so some activities stay planned and some self-reports pending).
 * About 70 % of the events after the registrations go to activities, the rest to hand-made
 * records; the daily rates adapt so that the log has exactly `events` events (the last day tops
 * up with pending self-reports, reported as `topUp`).
 */
const { createHash } = require('node:crypto');
const { existsSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');

const DIST = join(__dirname, '..', '..', 'dist');
const GENERATOR_VERSION = 1;

// ---------------------------------------------------------------------------
// Deterministic randomness (mulberry32).

function makeRandom(seed) {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = () => u32() / 4294967296;
  const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
  const hex8 = (x) => HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];
  return {
    next,
    u32,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** Weighted pick: `weights` is an array of cumulative weights normalised to 1. */
    pickWeighted: (items, cumulative) => {
      const x = next();
      for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return items[i];
      return items[items.length - 1];
    },
    /** A UUID v4 made of PRNG bits. */
    uuid: () => {
      const a1 = u32();
      const b = ((u32() & 0xffff0fff) | 0x00004000) >>> 0; // version 4: hex digit 13
      const c = ((u32() & 0x3fffffff) | 0x80000000) >>> 0; // variant 10xx: hex digit 17
      const d = u32();
      const h = hex8(a1) + hex8(b) + hex8(c) + hex8(d);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    hex: (chars) => {
      let s = '';
      while (s.length < chars) s += hex8(u32());
      return s.slice(0, chars);
    },
    base64: (bytes) => {
      const buf = Buffer.allocUnsafe(bytes);
      for (let i = 0; i < bytes; i++) buf[i] = u32() & 255;
      return buf.toString('base64');
    },
  };
}

const cumulative = (weights) => {
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
};

// ---------------------------------------------------------------------------
// Calendar: day numbers are Asia/Shanghai calendar days since 1970-01-01.

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3600_000;
const MINUTE = 60_000;
const HOUR = 3600_000;
const dayNumber = (isoDate) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
/** The instant at which Shanghai day `day` begins. */
const dayStart = (day) => day * DAY_MS - SHANGHAI_MS;
const shanghaiDate = (ms) => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
const iso = (ms) => new Date(ms).toISOString();
/** 0 = Sunday … 6 = Saturday. */
const weekday = (day) => (day + 4) % 7;

const SETUP_DAY = dayNumber('2024-12-01');
const FIRST_DAY = dayNumber('2025-01-01');
const LAST_DAY = dayNumber('2026-10-31');
const END_MS = dayStart(LAST_DAY + 1);
/** Activities are created this many days before they start (the longest planning lead). */
const LEAD_DAYS = 14;

// ---------------------------------------------------------------------------
// Names and texts.

const DISTRICTS = [
  { name: '姑苏区', streets: ['平江街道', '沧浪街道', '双塔街道', '金阊街道', '虎丘街道'] },
  { name: '相城区', streets: ['元和街道', '黄桥街道', '北桥街道', '漕湖街道', '太平街道'] },
];
const COMMUNITY_STEMS = ['桃花坞', '钮家巷', '北寺塔', '平江路', '干将', '十全街', '南园', '石路', '山塘', '虎丘',
  '元和', '御窑', '阳澄', '黄桥', '北桥', '漕湖', '太平', '蠡口', '陆慕', '澄阳'];
const COMMUNITY_SUFFIXES = ['', '新村', '花园', '东苑', '西苑'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '沈', '顾', '陆', '钱'];
const GIVEN = ['秀英', '桂英', '建国', '志强', '丽娟', '海燕', '伟', '芳', '敏', '静', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '玉兰', '德华', '春燕', '国强', '美华', '晓东'];
const CATEGORIES = ['environment', 'digital-inclusion', 'anti-fraud', 'garbage-sorting', 'errand-escort', 'elder-rides',
  'safety-patrol', 'public-opinion', 'legal-aid', 'skills-training', 'other'];
const CATEGORY_WEIGHTS = cumulative([18, 12, 10, 14, 10, 5, 12, 6, 3, 4, 6]);
const CATEGORY_TITLES = {
  environment: ['环境整治', '楼道清理', '河道保洁', '绿化养护'],
  'digital-inclusion': ['智能手机课堂', '数字助老', '线上挂号教学'],
  'anti-fraud': ['反诈宣传进小区', '防范电信诈骗讲座'],
  'garbage-sorting': ['垃圾分类桶站值守', '垃圾分类宣传'],
  'errand-escort': ['陪诊送医', '代买代办'],
  'elder-rides': ['爱心送乘', '敬老出行'],
  'safety-patrol': ['平安巡查', '消防安全检查', '夜间巡逻'],
  'public-opinion': ['社情民意走访', '入户走访'],
  'legal-aid': ['法律咨询进社区'],
  'skills-training': ['技能培训', '家政技能课堂'],
  other: ['便民服务', '文明劝导'],
};
const LOCATIONS = ['社区党群服务中心', '社区广场', '小区东门', '社区活动室', '街道市民中心', '菜市场门口', '老年日间照料中心', '小区垃圾分类站'];
const DESCRIPTIONS = [
  '入户探访独居老人，协助整理药品并检查燃气安全',
  '在社区党群服务中心教老年人使用智能手机挂号',
  '小区垃圾分类桶站值守，指导居民正确投放',
  '陪同行动不便的老人到苏大附一院复诊取药',
  '清理楼道杂物、劝导文明停车',
  '协助社区开展反诈宣传，发放宣传资料',
  '夜间平安巡逻，排查消防隐患',
];
const REJECT_REASONS = ['服务日期与签到记录不符', '重复申报', '缺少服务对象确认', '时长明显偏长，请重新申报'];
const AMEND_REASONS = ['签退时间登记有误，按实际时长更正', '活动提前结束，按实际时长更正', '申报时长有误'];
const REVOKE_REASONS = ['重复记录', '经核实未参加该活动', '误记到他人名下'];
const WITHDRAW_REASONS = [null, '临时有事', '身体不适'];
const CANCEL_REASONS = ['天气原因（暴雨预警）', '场地临时占用', '报名人数不足'];
const RESCHEDULE_REASONS = [null, '与社区会议冲突', '天气原因'];
const OCCUPATIONS = ['other', 'courier', 'food-delivery', 'ride-hailing'];
const OCCUPATION_WEIGHTS = cumulative([90, 4, 4, 2]);

/** The attendance record id, exactly as libs/domain/src/activities/credit-attendance.ts derives it. */
function attendanceRecordId(activityId, volunteerId) {
  return 'att-' + createHash('sha256').update(`${activityId}\u0000${volunteerId}`).digest('hex').slice(0, 32);
}

// ---------------------------------------------------------------------------
// A binary min-heap of commands ordered by (t, seq).

class Heap {
  constructor() { this.items = []; }
  get size() { return this.items.length; }
  less(a, b) { return a.t < b.t || (a.t === b.t && a.seq < b.seq); }
  push(x) {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  peek() { return this.items[0]; }
  pop() {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

// ---------------------------------------------------------------------------

/**
 * Generates the log into `file` (created; must not exist). Returns what the benchmark needs:
 * ids, counts, and the figures the read side must answer (to check the log was projected right).
 */
function generateLog({ file, events: targetEvents = 1_000_000, volunteers: volunteerCount = 100_000, seed = 20261125, onProgress } = {}) {
  if (existsSync(file)) throw new Error(`${file} exists already`);
  const started = Date.now();
  const rnd = makeRandom(seed);
  const { migrateEventsDatabase } = require(join(DIST, 'libs', 'event-store', 'src', 'sqlite', 'schema.js'));

  // --- the database: same schema; indexes dropped during the load and re-created from their own SQL.
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  migrateEventsDatabase(db);
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL`).all();
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  const insertEvent = db.prepare('INSERT INTO events (position, stream_id, stream_version, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertReceipt = db.prepare('INSERT INTO command_receipts (command_id, fingerprint, result, position) VALUES (?, ?, ?, ?)');
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');

  // --- org units
  const units = []; // { id, kind, name, parentIdx, district, street (idx or -1), communities: [idx] }
  const districts = [];
  const streets = [];
  const communities = [];
  for (const [d, district] of DISTRICTS.entries()) {
    const di = units.push({ id: rnd.uuid(), kind: 'district', name: district.name, parentIdx: -1, district: d, communities: [] }) - 1;
    districts.push(di);
    for (const [s, streetName] of district.streets.entries()) {
      const si = units.push({ id: rnd.uuid(), kind: 'street', name: streetName, parentIdx: di, district: d, communities: [] }) - 1;
      streets.push(si);
      for (let c = 0; c < 10; c++) {
        const stem = COMMUNITY_STEMS[(d * 5 + s) * 2 + (c % 2)];
        const name = `${streetName.replace('街道', '')}${stem}${COMMUNITY_SUFFIXES[Math.floor(c / 2)]}社区`;
        const ci = units.push({ id: rnd.uuid(), kind: 'community', name, parentIdx: si, district: d, communities: [] }) - 1;
        communities.push(ci);
        units[si].communities.push(ci);
        units[di].communities.push(ci);
      }
    }
  }
  for (const ci of communities) units[ci].communities.push(ci);
  const staffActor = (unitIdx) => ({ id: `staff-${units[unitIdx].id.slice(0, 8)}`, role: 'staff', orgUnitId: units[unitIdx].id });
  const communityWeights = cumulative(communities.map(() => 0.5 + rnd.next()));

  // --- volunteers: ids up front (deterministic), registered over time
  const vols = new Array(volunteerCount); // { id, home (unit idx) }
  const pools = new Map(communities.map((ci) => [ci, []])); // community -> volunteer idx registered before the current day
  const registered = []; // every volunteer idx registered before the current day
  let registeredToday = [];

  // --- budget
  const VOLUNTEER_UPDATE_SHARE = 0.02;
  const fixedEvents = units.length + volunteerCount * (1 + VOLUNTEER_UPDATE_SHARE);
  const rest = targetEvents - fixedEvents;
  if (rest < targetEvents * 0.2) throw new Error(`${targetEvents} events are too few for ${volunteerCount} volunteers (need at least ~${Math.ceil(fixedEvents / 0.8)})`);
  const activityBudget = 0.7 * rest;
  let committed = 0; // events written or scheduled
  let activityCommitted = 0;
  let activitiesPlanned = 0;
  let manualCommitted = 0;
  let manualEpisodes = 0;
  let volunteersCreated = 0;

  // Day weights (activities cluster at weekends; hand-made records on weekdays), and their suffix sums.
  const actWeight = (day) => ([0, 6].includes(weekday(day)) ? 1.6 : 1);
  const manWeight = (day) => ([0, 6].includes(weekday(day)) ? 0.7 : 1);
  const suffix = (weight) => {
    const sums = new Map();
    let acc = 0;
    for (let d = LAST_DAY; d >= FIRST_DAY; d--) sums.set(d, (acc += weight(d)));
    return sums;
  };
  const actSuffix = suffix(actWeight);
  const manSuffix = suffix(manWeight);
  let actCarry = 0;
  let manCarry = 0;

  // --- commands
  const heap = new Heap();
  let seq = 0;
  /** Schedules a command unless it would fall after the period; returns its event count (0 if dropped). */
  const schedule = (t, actor, events, result) => {
    if (t >= END_MS) return 0;
    heap.push({ t, seq: seq++, actor, events, result });
    return events.length;
  };

  // --- writer
  let position = 0;
  const versions = new Map();
  const byType = {};
  let batchOpen = false;
  let commands = 0;
  const recordState = new Map(); // recordId -> { unit, date, minutes, status, volunteer }
  const flushUntil = (limit) => {
    while (heap.size > 0 && heap.peek().t < limit) {
      const cmd = heap.pop();
      if (!batchOpen) { begin.run(); batchOpen = true; }
      const commandId = rnd.uuid();
      const recordedAt = iso(cmd.t);
      for (const e of cmd.events) {
        position += 1;
        const version = (versions.get(e.streamId) ?? -1) + 1;
        versions.set(e.streamId, version);
        const eventId = rnd.uuid();
        const metadata = {
          eventId, commandId, correlationId: commandId, causationId: commandId, actor: cmd.actor,
          occurredAt: e.occurredAt ?? recordedAt, recordedAt,
        };
        insertEvent.run(position, e.streamId, version, eventId, e.type, JSON.stringify(e.data), JSON.stringify(metadata), recordedAt);
        byType[e.type] = (byType[e.type] ?? 0) + 1;
        track(e);
      }
      insertReceipt.run(commandId, rnd.hex(64), JSON.stringify(cmd.result), position);
      commands += 1;
      if (position % 20_000 < cmd.events.length) {
        commit.run();
        batchOpen = false;
        onProgress?.({ written: position, target: targetEvents });
      }
    }
  };
  const unitIdxById = new Map(units.map((u, i) => [u.id, i]));
  function track(e) {
    const d = e.data;
    switch (e.type) {
      case 'ServiceRecorded.v1':
        recordState.set(d.recordId, { unit: unitIdxById.get(d.orgUnitId), date: d.serviceDate, minutes: d.minutes, status: d.status, volunteer: d.volunteerId });
        break;
      case 'ServiceApproved.v1': recordState.get(d.recordId).status = 'approved'; break;
      case 'ServiceRejected.v1': recordState.get(d.recordId).status = 'rejected'; break;
      case 'ServiceAmended.v1': recordState.get(d.recordId).minutes = d.minutes; break;
      case 'ServiceRevoked.v1': recordState.get(d.recordId).status = 'revoked'; break;
      default: break;
    }
  }

  // --- episodes

  function registerOrgUnits() {
    const t0 = dayStart(SETUP_DAY) + 9 * HOUR;
    units.forEach((u, i) => {
      const actor = { id: 'standalone-operator', role: 'admin', orgUnitId: null };
      committed += schedule(t0 + i * 1000, actor, [{
        streamId: `orgunit-${u.id}`, type: 'OrgUnitRegistered.v1',
        data: { orgUnitId: u.id, kind: u.kind, name: u.name, parentId: u.parentIdx >= 0 ? units[u.parentIdx].id : null },
      }], { id: u.id });
    });
  }

  function registerVolunteer(day) {
    const i = volunteersCreated++;
    const home = rnd.pickWeighted(communities, communityWeights);
    const id = rnd.uuid();
    vols[i] = { id, home };
    const senior = rnd.chance(0.3);
    const data = {
      volunteerId: id,
      homeOrgUnitId: units[home].id,
      displayName: rnd.pick(SURNAMES) + rnd.pick(GIVEN),
      partyMember: rnd.chance(0.25),
      senior,
      occupation: senior ? 'other' : rnd.pickWeighted(OCCUPATIONS, OCCUPATION_WEIGHTS),
      // Sealed like SqliteVault.seal: v1.<iv>.<tag>.<AES-GCM body>, base64 (random bytes: never opened here).
      personalData: rnd.chance(0.7) ? `v1.${rnd.base64(12)}.${rnd.base64(16)}.${rnd.base64(rnd.int(40, 90))}` : null,
    };
    const t = dayStart(day) + rnd.int(8 * 60, 21 * 60) * MINUTE + rnd.int(0, 59_999);
    committed += schedule(t, staffActor(home), [{ streamId: `volunteer-${id}`, type: 'VolunteerRegistered.v1', data }], { id });
    registeredToday.push(i);
    if (rnd.chance(VOLUNTEER_UPDATE_SHARE)) {
      const change = rnd.int(0, 2);
      const changes = change === 0 ? { partyMember: !data.partyMember } : change === 1 ? { senior: !data.senior } : { displayName: rnd.pick(SURNAMES) + rnd.pick(GIVEN) + rnd.pick(['', '（小）', '（大）']) };
      committed += schedule(t + rnd.int(30, 400) * DAY_MS, staffActor(home), [{
        streamId: `volunteer-${id}`, type: 'VolunteerProfileUpdated.v1', data: { volunteerId: id, ...changes },
      }], { id });
    }
  }

  /** Picks k distinct volunteers registered before today, from the unit's communities. */
  function pickAttendees(unitIdx, k) {
    const comms = units[unitIdx].communities;
    const chosen = new Set();
    for (let tries = 0; chosen.size < k && tries < k * 20; tries++) {
      const pool = pools.get(comms[Math.floor(rnd.next() * comms.length)]);
      if (pool.length === 0) continue;
      chosen.add(pool[Math.floor(rnd.next() * pool.length)]);
    }
    return [...chosen];
  }

  /** Amend (2 %) or revoke (0.5 %) an approved record some days after `t`. */
  function maybeCorrect(t, unitIdx, recordId, volunteerId, minutes) {
    const x = rnd.next();
    if (x < 0.02) {
      let next = minutes + rnd.pick([-60, -45, -30, -15, 15, 30, 45, 60]);
      if (next < 1 || next > 1440) next = minutes > 30 ? minutes - 15 : minutes + 15;
      return schedule(t + rnd.int(1, 15) * DAY_MS + rnd.int(0, 8 * 60) * MINUTE, staffActor(unitIdx), [{
        streamId: `record-${recordId}`, type: 'ServiceAmended.v1',
        data: { recordId, volunteerId, previousMinutes: minutes, minutes: next, reason: rnd.pick(AMEND_REASONS) },
      }], { id: recordId });
    }
    if (x < 0.025) {
      return schedule(t + rnd.int(1, 30) * DAY_MS + rnd.int(0, 8 * 60) * MINUTE, staffActor(unitIdx), [{
        streamId: `record-${recordId}`, type: 'ServiceRevoked.v1',
        data: { recordId, volunteerId, previousStatus: 'approved', minutes, reason: rnd.pick(REVOKE_REASONS) },
      }], { id: recordId });
    }
    return 0;
  }

  /** One activity starting on `startDay`, planned on or after `today`. Returns its event count. */
  function planActivity(startDay, today) {
    const r = rnd.next();
    const unitIdx = r < 0.85 ? rnd.pick(communities) : r < 0.97 ? rnd.pick(streets) : rnd.pick(districts);
    const unit = units[unitIdx];
    const activityId = rnd.uuid();
    const streamId = `activity-${activityId}`;
    const category = rnd.pickWeighted(CATEGORIES, CATEGORY_WEIGHTS);
    const title = `${unit.name}${rnd.pick(CATEGORY_TITLES[category])}`;
    const location = `${unit.name}${rnd.pick(LOCATIONS)}`;
    let start = dayStart(startDay) + (8 * 60 + 30 * rnd.int(0, 22)) * MINUTE;
    let end = start + rnd.pick([60, 90, 120, 120, 150, 180, 240]) * MINUTE;
    const lead = rnd.int(1, Math.min(LEAD_DAYS, startDay - today));
    const planT = Math.max(dayStart(today), dayStart(startDay - lead) + rnd.int(9 * 60, 18 * 60) * MINUTE);
    const staff = staffActor(unitIdx);
    const personInCharge = rnd.chance(0.6) ? rnd.pick(SURNAMES) + rnd.pick(GIVEN) : null;
    let k = rnd.chance(0.05) ? rnd.int(15, 40) : rnd.int(3, 12);
    const attendees = pickAttendees(unitIdx, k);
    k = attendees.length;
    const capacity = rnd.chance(0.6) ? null : k + rnd.int(0, 10);
    const cmds = []; // [t, actor, events, result]
    cmds.push([planT, staff, [{
      streamId, type: 'ActivityPlanned.v1',
      data: {
        activityId, orgUnitId: unit.id, title, category, location, startsAt: iso(start), endsAt: iso(end), capacity,
        description: rnd.chance(0.8) ? rnd.pick(DESCRIPTIONS) : null, personInCharge,
      },
    }], { id: activityId }]);
    const cancelled = rnd.chance(0.03);
    const cancelT = cancelled ? planT + Math.floor((start - planT) * (0.5 + 0.4 * rnd.next())) : Infinity;
    if (!cancelled && rnd.chance(0.02)) {
      const shift = rnd.pick([-60, -30, 30, 60, 90]) * MINUTE;
      const rT = planT + Math.floor((start - planT) * (0.2 + 0.3 * rnd.next()));
      if (rT < start + shift - 2 * HOUR) {
        start += shift;
        end += shift;
        cmds.push([rT, staff, [{ streamId, type: 'ActivityRescheduled.v1', data: { activityId, startsAt: iso(start), endsAt: iso(end), reason: rnd.pick(RESCHEDULE_REASONS) } }], { id: activityId }]);
      }
    }
    // Attendance of each attendee; `rosterAt` orders the roster as the decider's Map would.
    const roster = [];
    const enrolUntil = Math.min(start - 30 * MINUTE, cancelT - MINUTE);
    for (const vi of attendees) {
      const volunteerId = vols[vi].id;
      const walkIn = !cancelled && rnd.chance(0.15);
      const att = { vi, volunteerId, rosterAt: 0, inT: null, outT: null, withdrawn: false };
      if (!walkIn) {
        const enrolT = planT + MINUTE + Math.floor(rnd.next() * Math.max(1, enrolUntil - planT - MINUTE));
        att.rosterAt = enrolT;
        cmds.push([enrolT, { id: volunteerId, role: 'volunteer', orgUnitId: units[vols[vi].home].id },
          [{ streamId, type: 'VolunteerEnrolled.v1', data: { activityId, volunteerId, walkIn: false } }], { id: activityId }]);
        if (!cancelled && rnd.chance(0.03)) {
          att.withdrawn = true;
          const wT = enrolT + Math.floor(rnd.next() * Math.max(1, start - 10 * MINUTE - enrolT));
          cmds.push([wT, { id: volunteerId, role: 'volunteer', orgUnitId: units[vols[vi].home].id },
            [{ streamId, type: 'EnrollmentWithdrawn.v1', data: { activityId, volunteerId, reason: rnd.pick(WITHDRAW_REASONS) } }], { id: activityId }]);
          continue;
        }
      }
      if (cancelled) { roster.push(att); continue; }
      if (!walkIn && rnd.chance(0.06)) { roster.push(att); continue; } // no-show
      att.inT = start + rnd.int(-30 * 60, 15 * 60) * 1000;
      const inAt = iso(att.inT);
      const checkIn = { streamId, type: 'VolunteerCheckedIn.v1', data: { activityId, volunteerId, at: inAt }, occurredAt: inAt };
      if (walkIn) {
        att.rosterAt = att.inT;
        cmds.push([att.inT, staff, [{ streamId, type: 'VolunteerEnrolled.v1', data: { activityId, volunteerId, walkIn: true } }, checkIn], { id: activityId }]);
      } else {
        cmds.push([att.inT, staff, [checkIn], { id: activityId }]);
      }
      if (!rnd.chance(0.03)) {
        att.outT = Math.max(att.inT + 2 * MINUTE, end + rnd.int(-20 * 60, 30 * 60) * 1000);
        const outAt = iso(att.outT);
        cmds.push([att.outT, staff, [{ streamId, type: 'VolunteerCheckedOut.v1', data: { activityId, volunteerId, at: outAt }, occurredAt: outAt }], { id: activityId }]);
      }
      roster.push(att);
    }
    if (cancelled) {
      cmds.push([cancelT, staff, [{ streamId, type: 'ActivityCancelled.v1', data: { activityId, reason: rnd.pick(CANCEL_REASONS) } }], { id: activityId }]);
    } else {
      const compT = end + rnd.int(35, 48 * 60) * MINUTE;
      if (compT < END_MS) {
        roster.sort((a, b) => a.rosterAt - b.rosterAt);
        const credited = [];
        const notCredited = [];
        for (const a of roster) {
          if (a.inT === null) notCredited.push({ volunteerId: a.volunteerId, reason: 'no-show' });
          else if (a.outT === null) notCredited.push({ volunteerId: a.volunteerId, reason: 'missed-check-out' });
          else {
            const minutes = Math.floor((Math.min(end, a.outT) - Math.max(start, a.inT)) / MINUTE);
            if (minutes < 1) notCredited.push({ volunteerId: a.volunteerId, reason: 'no-time-in-window' });
            else credited.push({ volunteerId: a.volunteerId, recordId: attendanceRecordId(activityId, a.volunteerId), minutes });
          }
        }
        const serviceDate = shanghaiDate(start);
        const events = [{
          streamId, type: 'ActivityCompleted.v1',
          data: { activityId, beneficiaries: rnd.chance(0.7) ? rnd.int(0, 200) : null, completedAt: iso(compT), credited, notCredited },
        }];
        const plannedDescription = cmds[0][2][0].data.description;
        for (const c of credited) {
          events.push({
            streamId: `record-${c.recordId}`, type: 'ServiceRecorded.v1',
            data: {
              recordId: c.recordId, volunteerId: c.volunteerId, orgUnitId: unit.id, category, serviceDate, minutes: c.minutes,
              description: plannedDescription ?? title, activityId, activityTitle: title, location, personInCharge,
              source: 'attendance', status: 'approved',
            },
          });
        }
        cmds.push([compT, staff, events, { id: activityId, recordIds: credited.map((c) => c.recordId), credited, notCredited }]);
        for (const c of credited) cmds.push(['correct', compT, c]);
      }
    }
    let n = 0;
    for (const c of cmds) {
      if (c[0] === 'correct') n += maybeCorrect(c[1], unitIdx, c[2].recordId, c[2].volunteerId, c[2].minutes);
      else n += schedule(c[0], c[1], c[2], c[3]);
    }
    return n;
  }

  /** A self-report (pending, then decided) or a staff entry (approved), submitted on `day`. */
  function manualRecord(day, { onlyPending = false } = {}) {
    if (registered.length === 0) return 0;
    const vi = registered[Math.floor(rnd.next() * registered.length)];
    const v = vols[vi];
    const recordId = rnd.uuid();
    const unitIdx = rnd.chance(0.9) ? v.home : units[v.home].parentIdx;
    const t = dayStart(day) + rnd.int(7 * 60, 23 * 60 - 1) * MINUTE + rnd.int(0, 59_999);
    const selfReport = onlyPending || rnd.chance(0.7);
    const minutes = 15 * rnd.int(2, 16);
    const data = {
      recordId, volunteerId: v.id, orgUnitId: units[unitIdx].id, category: rnd.pickWeighted(CATEGORIES, CATEGORY_WEIGHTS),
      serviceDate: shanghaiDate(dayStart(Math.max(FIRST_DAY, day - rnd.int(0, 7)))), minutes,
      description: rnd.pick(DESCRIPTIONS), activityId: null, activityTitle: null,
      location: rnd.chance(0.5) ? `${units[unitIdx].name}${rnd.pick(LOCATIONS)}` : null,
      personInCharge: !selfReport && rnd.chance(0.5) ? rnd.pick(SURNAMES) + rnd.pick(GIVEN) : null,
      source: selfReport ? 'self-report' : 'staff', status: selfReport ? 'pending' : 'approved',
    };
    const actor = selfReport ? { id: v.id, role: 'volunteer', orgUnitId: units[v.home].id } : staffActor(unitIdx);
    let n = schedule(t, actor, [{ streamId: `record-${recordId}`, type: 'ServiceRecorded.v1', data }], { id: recordId });
    if (onlyPending) return n;
    if (!selfReport) return n + maybeCorrect(t, unitIdx, recordId, v.id, minutes);
    const x = rnd.next();
    const decideT = t + rnd.int(2 * 60, 10 * 24 * 60) * MINUTE;
    if (x < 0.85) {
      const approved = schedule(decideT, staffActor(unitIdx), [{ streamId: `record-${recordId}`, type: 'ServiceApproved.v1', data: { recordId, volunteerId: v.id, minutes } }], { id: recordId });
      n += approved;
      if (approved) n += maybeCorrect(decideT, unitIdx, recordId, v.id, minutes);
    } else if (x < 0.95) {
      n += schedule(decideT, staffActor(unitIdx), [{ streamId: `record-${recordId}`, type: 'ServiceRejected.v1', data: { recordId, volunteerId: v.id, reason: rnd.pick(REJECT_REASONS) } }], { id: recordId });
    }
    return n;
  }

  // --- the days
  const decemberDays = FIRST_DAY - SETUP_DAY;
  const periodDays = LAST_DAY - FIRST_DAY + 1;
  const earlyVolunteers = Math.round(volunteerCount * 0.3);
  let regCarry = 0;
  let topUp = 0;
  for (let day = SETUP_DAY; day <= LAST_DAY; day++) {
    if (day === SETUP_DAY) registerOrgUnits();
    // Activities starting LEAD_DAYS ahead (planned from today on).
    const startDay = day + LEAD_DAYS;
    if (startDay >= FIRST_DAY && startDay <= LAST_DAY) {
      const perActivity = (activityCommitted + 30 * 5) / (activitiesPlanned + 5);
      const remaining = Math.max(0, activityBudget - activityCommitted);
      actCarry += (remaining * actWeight(startDay)) / actSuffix.get(startDay) / perActivity;
      for (; actCarry >= 1; actCarry -= 1) {
        const n = planActivity(startDay, day);
        committed += n;
        activityCommitted += n;
        activitiesPlanned += 1;
      }
    }
    // Records made by hand today.
    if (day >= FIRST_DAY) {
      const volunteersLeft = volunteerCount - volunteersCreated;
      const reserve = volunteersLeft * (1 + VOLUNTEER_UPDATE_SHARE) + Math.max(0, activityBudget - activityCommitted);
      const remaining = Math.max(0, targetEvents - committed - reserve);
      const perRecord = (manualCommitted + 2 * 5) / (manualEpisodes + 5);
      manCarry += (remaining * manWeight(day)) / manSuffix.get(day) / perRecord;
      for (; manCarry >= 1; manCarry -= 1) {
        if (committed + 8 > targetEvents) break; // never overshoot: an episode has at most 3 events
        const n = manualRecord(day);
        committed += n;
        manualCommitted += n;
        manualEpisodes += 1;
      }
    }
    // Registrations today.
    const regToday = day < FIRST_DAY ? earlyVolunteers / decemberDays : (volunteerCount - earlyVolunteers) / periodDays;
    regCarry += regToday;
    let regs = Math.floor(regCarry);
    regCarry -= regs;
    if (day === LAST_DAY) regs = volunteerCount - volunteersCreated;
    for (let i = 0; i < regs && volunteersCreated < volunteerCount; i++) registerVolunteer(day);
    // The last day: exactly the target, with pending self-reports.
    if (day === LAST_DAY) {
      if (committed > targetEvents) throw new Error(`generator overshot: ${committed} > ${targetEvents}`);
      while (committed < targetEvents) {
        const n = manualRecord(day, { onlyPending: true });
        if (n === 0) throw new Error('generator: cannot top up the log');
        committed += n;
        topUp += n;
      }
    }
    flushUntil(dayStart(day + 1));
    for (const vi of registeredToday) {
      pools.get(vols[vi].home).push(vi);
      registered.push(vi);
    }
    registeredToday = [];
  }
  flushUntil(Infinity);
  if (batchOpen) commit.run();
  if (position !== targetEvents) throw new Error(`generator wrote ${position} events, expected ${targetEvents}`);

  const loadSeconds = (Date.now() - started) / 1000;
  for (const { sql } of indexes) db.exec(sql);
  db.pragma('journal_mode = WAL');
  db.close();
  onProgress?.({ written: position, target: targetEvents });

  // --- what the read side must answer
  const REPORT_FROM = '2025-11-01';
  const REPORT_TO = '2026-10-31';
  const districtMinutes = districts.map(() => 0);
  const volunteerMinutes = new Map();
  let approvedMinutes = 0;
  let approvedRecords = 0;
  for (const r of recordState.values()) {
    if (r.status !== 'approved') continue;
    approvedMinutes += r.minutes;
    approvedRecords += 1;
    volunteerMinutes.set(r.volunteer, (volunteerMinutes.get(r.volunteer) ?? 0) + r.minutes);
    if (r.date >= REPORT_FROM && r.date <= REPORT_TO) districtMinutes[units[r.unit].district] += r.minutes;
  }
  const sampleVolunteers = [0, Math.floor(volunteerCount / 2), volunteerCount - 1].map((i) => ({ id: vols[i].id, approvedMinutes: volunteerMinutes.get(vols[i].id) ?? 0 }));
  return {
    generatorVersion: GENERATOR_VERSION,
    seed,
    events: position,
    commands,
    streams: versions.size,
    seconds: (Date.now() - started) / 1000,
    loadSeconds,
    topUp,
    byType,
    activities: activitiesPlanned,
    manualRecords: manualEpisodes,
    serviceRecords: recordState.size,
    approvedRecords,
    approvedMinutes,
    districts: districts.map((i, d) => ({ id: units[i].id, name: units[i].name, reportMinutes: districtMinutes[d] })),
    streets: streets.map((i) => units[i].id),
    communities: communities.map((i) => units[i].id),
    volunteerIds: vols.map((v) => v.id),
    sampleVolunteers,
    report: { from: REPORT_FROM, to: REPORT_TO },
    fileBytes: require('node:fs').statSync(file).size,
  };
}

module.exports = { generateLog, GENERATOR_VERSION, attendanceRecordId, makeRandom };

if (require.main === module) {
  const [dir, events, volunteers, seed] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node bench/support/generate-log.js <dir> [events=1000000] [volunteers=100000] [seed=20261125]');
    process.exit(2);
  }
  const file = join(dir, 'events.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  require('node:fs').mkdirSync(dir, { recursive: true });
  const summary = generateLog({
    file,
    events: Number(events ?? 1_000_000),
    volunteers: Number(volunteers ?? 100_000),
    seed: Number(seed ?? 20261125),
    onProgress: ({ written, target }) => process.stderr.write(`\r  ${written}/${target} events`),
  });
  process.stderr.write('\n');
  const { volunteerIds, ...rest } = summary;
  console.log(JSON.stringify({ file, ...rest, volunteerIds: `${volunteerIds.length} ids` }, null, 2));
}
