import fc from 'fast-check';
import type { RecordedEvent } from '@haitang/event-store';
import { postgresAvailable } from '../../../test/support/postgres';
import { volunteerHours } from '../src';
import { type ReadStore, TestLog } from './read-model-fixture';
import { postgresReadStore } from './postgres-read-store';
import { sqliteReadStore } from './sqlite-read-store';

const UNITS = ['d1', 's1', 's2', 'c1', 'c2', 'c3'];
const PARENT: Record<string, string | null> = { d1: null, s1: 'd1', s2: 'd1', c1: 's1', c2: 's1', c3: 's2' };
const pick = <T>(list: readonly T[]) => fc.integer({ min: 0, max: list.length - 1 }).map((i) => list[i]);
const VOLUNTEERS = ['v0', 'v1', 'v2', 'v3', 'v4'];
const volunteer = pick(VOLUNTEERS);
const activity = fc.integer({ min: 0, max: 3 }).map((i) => `a${i}`);
const record = fc.integer({ min: 0, max: 6 }).map((i) => `r${i}`);
const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2026, 8, 1 + n)));
const iso = (d: Date, hours = 0) => new Date(d.getTime() + hours * 3600_000).toISOString();

const registration = fc.record({ k: fc.constant('volunteer' as const), v: volunteer, unit: pick(UNITS), party: fc.boolean(), senior: fc.boolean(), at: day });
const recording = fc.record({ k: fc.constant('record' as const), r: record, v: volunteer, unit: pick(UNITS), at: day, minutes: fc.integer({ min: 1, max: 600 }), pending: fc.boolean(), a: fc.option(activity) });
const recordChange = fc.record({ k: fc.constantFrom('approve' as const, 'reject' as const, 'revoke' as const), r: record });
const amendment = fc.record({ k: fc.constant('amend' as const), r: record, minutes: fc.integer({ min: 1, max: 600 }) });

/** Any sequence of events the projections may see, valid for the deciders or not (unknown ids, repeats, out of order). */
const step = fc.oneof(
  fc.record({ k: fc.constant('unit' as const), unit: pick(UNITS) }),
  fc.record({ k: fc.constant('rename' as const), unit: pick(UNITS), name: fc.constantFrom('新名', '沧浪', '金阊') }),
  registration,
  fc.record({ k: fc.constant('profile' as const), v: volunteer, party: fc.option(fc.boolean()), name: fc.option(fc.constantFrom('王', '赵')), unit: fc.option(pick(UNITS)) }),
  fc.record({ k: fc.constant('erase' as const), v: volunteer }),
  fc.record({ k: fc.constant('plan' as const), a: activity, unit: pick(UNITS), at: day }),
  fc.record({ k: fc.constant('reschedule' as const), a: activity, at: day }),
  fc.record({ k: fc.constant('cancel' as const), a: activity }),
  fc.record({ k: fc.constantFrom('enroll' as const, 'withdraw' as const, 'checkin' as const, 'checkout' as const), a: activity, v: volunteer, at: day }),
  fc.record({ k: fc.constant('complete' as const), a: activity, credited: fc.array(volunteer, { maxLength: 3 }), missed: fc.array(volunteer, { maxLength: 2 }) }),
  recording,
  recordChange,
  amendment,
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function eventsOf(steps: readonly Step[]): RecordedEvent[] {
  const log = new TestLog();
  for (const s of steps) {
    switch (s.k) {
      case 'unit': log.unit(s.unit, s.unit.startsWith('d') ? 'district' : s.unit.startsWith('s') ? 'street' : 'community', s.unit, PARENT[s.unit]); break;
      case 'rename': log.add('OrgUnitRenamed.v1', { orgUnitId: s.unit, name: s.name, previousName: s.unit }); break;
      case 'volunteer': log.volunteer(s.v, s.unit, { partyMember: s.party, senior: s.senior }, iso(s.at)); break;
      case 'profile': log.add('VolunteerProfileUpdated.v1', { volunteerId: s.v, ...(s.party === null ? {} : { partyMember: s.party }), ...(s.name === null ? {} : { displayName: s.name }), ...(s.unit === null ? {} : { homeOrgUnitId: s.unit }) }); break;
      case 'erase': log.add('VolunteerPersonalDataErased.v1', { volunteerId: s.v }); break;
      case 'plan': log.activity(s.a, s.unit, iso(s.at, 1), iso(s.at, 3)); break;
      case 'reschedule': log.add('ActivityRescheduled.v1', { activityId: s.a, startsAt: iso(s.at, 2), endsAt: iso(s.at, 4) }); break;
      case 'cancel': log.add('ActivityCancelled.v1', { activityId: s.a, reason: '下雨' }); break;
      case 'enroll': log.add('VolunteerEnrolled.v1', { activityId: s.a, volunteerId: s.v, walkIn: s.at.getUTCDate() % 2 === 0 }); break;
      case 'withdraw': log.add('EnrollmentWithdrawn.v1', { activityId: s.a, volunteerId: s.v, reason: '有事' }); break;
      case 'checkin': log.add('VolunteerCheckedIn.v1', { activityId: s.a, volunteerId: s.v, at: iso(s.at, 1) }); break;
      case 'checkout': log.add('VolunteerCheckedOut.v1', { activityId: s.a, volunteerId: s.v, at: iso(s.at, 3) }); break;
      case 'complete': log.add('ActivityCompleted.v1', { activityId: s.a, beneficiaries: 3, completedAt: '2026-11-01T00:00:00.000Z',
        credited: s.credited.map((v) => ({ volunteerId: v, minutes: 60, recordId: `att-${s.a}-${v}` })), notCredited: s.missed.map((v) => ({ volunteerId: v, reason: 'missed-check-out' })) }); break;
      case 'record': log.record(s.r, s.v, s.unit, iso(s.at).slice(0, 10), s.minutes, { status: s.pending ? 'pending' : 'approved', activityId: s.a }); break;
      case 'approve': log.add('ServiceApproved.v1', { recordId: s.r, volunteerId: 'v0', minutes: 1 }); break;
      case 'reject': log.add('ServiceRejected.v1', { recordId: s.r, volunteerId: 'v0', reason: '重复' }); break;
      case 'revoke': log.add('ServiceRevoked.v1', { recordId: s.r, volunteerId: 'v0', previousStatus: 'approved', minutes: 1, reason: '误录' }); break;
      case 'amend': log.add('ServiceAmended.v1', { recordId: s.r, volunteerId: 'v0', previousMinutes: 1, minutes: s.minutes, reason: '核对' }); break;
    }
  }
  return log.events;
}

/** The events cut into batches at `cuts` (positions in the list; those past its end are ignored), none empty. */
function batchesOf(events: readonly RecordedEvent[], cuts: readonly number[]): RecordedEvent[][] {
  const bounds = [0, ...new Set(cuts.filter((c) => c < events.length))].sort((a, b) => a - b).concat(events.length);
  return bounds.slice(1).map((end, i) => events.slice(bounds[i], end)).filter((batch) => batch.length > 0);
}

/** Runs of the events delivered again, one per pair of (any) numbers: from the smaller to the larger, modulo the length. */
const redeliveredOf = (events: readonly RecordedEvent[], pairs: readonly [number, number][]): RecordedEvent[][] =>
  pairs.map(([a, b]) => events.slice(Math.min(a, b) % events.length, (Math.max(a, b) % events.length) + 1));

/**
 * The PostgreSQL projections are a second implementation of the SQLite ones
 * (folds over rows in memory instead of SQL statements). For any sequence of
 * events, cut into the same batches, with the same redeliveries, both leave
 * exactly the same rows in every table (but the totals SQLite keeps for the
 * hours: there, both give the same answers).
 */
(postgresAvailable ? describe : describe.skip)('SQLite and PostgreSQL projections agree row for row', () => {
  let sqlite: ReadStore;
  let postgres: ReadStore;
  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([sqliteReadStore.open(), postgresReadStore.open()]);
  });
  afterAll(async () => {
    await Promise.all([sqlite?.close(), postgres?.close()]);
  });

  it('gives identical tables for random event sequences, batch boundaries and redeliveries', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(step, { minLength: 1, maxLength: 70 }), fc.array(fc.integer({ min: 1, max: 69 }), { maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
      async (steps, cuts, redeliveries) => {
        const events = eventsOf(steps);
        await Promise.all([sqlite.reset(), postgres.reset()]);
        for (const batch of batchesOf(events, cuts)) expect(await postgres.apply(batch)).toBe(await sqlite.apply(batch));
        for (const slice of redeliveredOf(events, redeliveries)) {
          await sqlite.deliver(slice);
          await postgres.deliver(slice);
        }
        expect(await postgres.dump()).toEqual(await sqlite.dump());
        expect(await postgres.checkpoint()).toBe(await sqlite.checkpoint());
        // SQLite answers hours from the totals it keeps, PostgreSQL by summing the records: the same answers.
        const hours = (store: ReadStore) => Promise.all(VOLUNTEERS.map((v) => volunteerHours(store.models, v, [100, 300])));
        expect(await hours(sqlite)).toEqual(await hours(postgres));
      },
    ), { numRuns: 20 });
  });
});

/** Steps weighted towards volunteers and their records (any step still comes, a tenth of the time). */
const recordsFirst = fc.oneof(
  { arbitrary: step, weight: 1 }, { arbitrary: registration, weight: 2 }, { arbitrary: recording, weight: 4 },
  { arbitrary: recordChange, weight: 2 }, { arbitrary: amendment, weight: 1 },
);

/**
 * SQLite keeps each volunteer's totals with triggers (records.projection.ts); they must always be what
 * summing the same file's records gives, whatever the order of events, the batches and the redeliveries
 * (a volunteer registered after their records, amendments of pending records, records of nobody).
 */
describe('SQLite: the totals it keeps equal the sums over its records', () => {
  let sqlite: ReadStore;
  beforeAll(async () => {
    sqlite = await sqliteReadStore.open();
  });
  afterAll(() => sqlite?.close());

  it('for random event sequences, batch boundaries and redeliveries', async () => {
    let counted = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(recordsFirst, { minLength: 20, maxLength: 70 }), fc.array(fc.integer({ min: 1, max: 69 }), { maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
      async (steps, cuts, redeliveries) => {
        const events = eventsOf(steps);
        await sqlite.reset();
        for (const batch of batchesOf(events, cuts)) await sqlite.apply(batch);
        for (const slice of redeliveredOf(events, redeliveries)) await sqlite.deliver(slice);
        for (const v of VOLUNTEERS) {
          const hours = await volunteerHours(sqlite.models, v, [100, 300]);
          const records = await sqlite.models.all<{ status: string; category: string; service_date: string; minutes: number }>(
            'SELECT r.status, r.category, r.service_date, r.minutes FROM volunteer_keys k JOIN service_records r ON r.volunteer_n = k.volunteer_n WHERE k.volunteer_id = ?', [v]);
          if (!hours) continue;
          const approved = records.filter((r) => r.status === 'approved');
          const by = (key: (r: (typeof records)[number]) => string) => Object.fromEntries(Object.entries(
            approved.reduce<Record<string, number>>((sums, r) => ({ ...sums, [key(r)]: (sums[key(r)] ?? 0) + r.minutes }), {})).filter(([, m]) => m !== 0));
          const { approvedMinutes, pendingMinutes, byCategory, byYear } = hours;
          expect({ volunteer: v, approvedMinutes, pendingMinutes, byCategory, byYear }).toEqual({
            volunteer: v,
            approvedMinutes: approved.reduce((sum, r) => sum + r.minutes, 0),
            pendingMinutes: records.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.minutes, 0),
            byCategory: by((r) => r.category), byYear: by((r) => r.service_date.slice(0, 4)),
          });
          if (records.length > 0) counted++;
        }
      },
    ), { numRuns: 60 });
    // The property saw volunteers with records, not only empty totals.
    expect(counted).toBeGreaterThan(100);
  });
});
