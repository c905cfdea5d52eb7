import fc from 'fast-check';
import {
  type Decider, DomainError, type DomainEvent, orgUnitDecider, type OrgUnitKind, type OrgUnitState, type RecordService,
  serviceRecordDecider, type ServiceRecordState, volunteerDecider, type VolunteerState,
} from '@haitang/domain';
import type { RecordedEvent } from '@haitang/event-store';
import { orgUnitReport, REPORT_GROUPINGS, volunteerHours } from '../src';
import { READ_STORE_ADAPTERS, type ReadStore } from './read-model-fixture';

/** A ledger in memory: streams folded by the real deciders, events numbered like the store numbers them. */
class MemoryLedger {
  readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, DomainEvent[]>();

  state<S>(decider: Pick<Decider<never, DomainEvent, S, never>, 'initialState' | 'evolve'>, streamId: string): S {
    return (this.streams.get(streamId) ?? []).reduce(decider.evolve, decider.initialState);
  }

  /** Runs a decision; a refusal appends nothing (only valid commands make it into the log). */
  run(streamId: string, decide: () => DomainEvent[]): boolean {
    let events: DomainEvent[];
    try {
      events = decide();
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
    const stream = this.streams.get(streamId) ?? [];
    for (const e of events) {
      stream.push(e);
      const position = this.log.length + 1;
      this.log.push({ position, streamId, streamVersion: stream.length - 1, eventId: `e${position}`, type: e.type, data: e.data,
        metadata: { actor: { id: 'prop', role: 'staff', orgUnitId: null } }, recordedAt: '2026-11-01T00:00:00.000Z' });
    }
    this.streams.set(streamId, stream);
    return true;
  }
}

const UNITS: [string, OrgUnitKind, string | null][] = [
  ['d1', 'district', null], ['s1', 'street', 'd1'], ['s2', 'street', 'd1'], ['t1', 'town', 'd1'],
  ['c1', 'community', 's1'], ['c2', 'community', 's1'], ['c3', 'community', 's2'], ['c4', 'community', 't1'],
  ['d2', 'district', null], ['s3', 'street', 'd2'], ['c5', 'community', 's3'],
];
const ANCESTORS: Record<string, string[]> = {};
for (const [id, , parent] of UNITS) ANCESTORS[id] = [id, ...(parent ? ANCESTORS[parent] : [])];
const NOW = new Date('2026-11-20T04:00:00Z');
const VOLUNTEERS = 8;
const day = fc.integer({ min: 0, max: 700 }).map((n) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10));

const intent = fc.oneof(
  fc.record({
    kind: fc.constant('record' as const), volunteer: fc.integer({ min: 0, max: VOLUNTEERS - 1 }), unit: fc.integer({ min: 0, max: UNITS.length - 1 }),
    date: day, minutes: fc.integer({ min: -5, max: 1500 }), selfReport: fc.boolean(),
    category: fc.constantFrom('environment', 'digital-inclusion', 'errand-escort', 'garbage-sorting'),
  }),
  fc.record({
    kind: fc.constantFrom('approve' as const, 'reject' as const, 'revoke' as const, 'amend' as const),
    record: fc.nat(), minutes: fc.integer({ min: 1, max: 1440 }),
  }),
);

/**
 * For random command sequences run through the real deciders (refusals drop
 * out), every report's total equals the sum over volunteers of their approved
 * minutes in scope, at every level of the hierarchy, for any date range and
 * any grouping, and the rows add up to the total.
 */
describe.each(READ_STORE_ADAPTERS)('reports add up for any valid command sequence (property, $name)', (adapter) => {
  let rm: ReadStore;
  beforeAll(async () => (rm = await adapter.open()));
  afterAll(() => rm.close());

  it('report totals = Σ volunteers’ approved minutes, at every level, for any range', async () => {
    await fc.assert(fc.asyncProperty(fc.array(intent, { maxLength: 60 }), day, day, fc.constantFrom(...REPORT_GROUPINGS), async (intents, a, b, groupBy) => {
      const ledger = new MemoryLedger();
      for (const [id, kind, parentId] of UNITS) {
        ledger.run(`orgunit-${id}`, () => orgUnitDecider.decide({ type: 'RegisterOrgUnit', orgUnitId: id, kind, name: id, parentId },
          ledger.state<OrgUnitState>(orgUnitDecider, `orgunit-${id}`),
          { now: NOW, parent: parentId ? ledger.state<OrgUnitState>(orgUnitDecider, `orgunit-${parentId}`) : undefined }));
      }
      for (let v = 0; v < VOLUNTEERS; v++) {
        ledger.run(`volunteer-v${v}`, () => volunteerDecider.decide(
          { type: 'RegisterVolunteer', volunteerId: `v${v}`, homeOrgUnitId: 'c1', displayName: `v${v}`, partyMember: v % 2 === 0, senior: v % 3 === 0, occupation: (['courier', 'food-delivery', 'ride-hailing', 'other'] as const)[v % 4] },
          ledger.state<VolunteerState>(volunteerDecider, `volunteer-v${v}`),
          { now: NOW, homeOrgUnit: ledger.state<OrgUnitState>(orgUnitDecider, 'orgunit-c1') }));
      }
      const recordIds: string[] = [];
      intents.forEach((it, i) => {
        if (it.kind === 'record') {
          const recordId = `r${i}`;
          const command: RecordService = {
            type: 'RecordService', recordId, volunteerId: `v${it.volunteer}`, orgUnitId: UNITS[it.unit][0], category: it.category,
            serviceDate: it.date, minutes: it.minutes, description: '服务', source: it.selfReport ? 'self-report' : 'staff',
          };
          const ok = ledger.run(`record-${recordId}`, () => serviceRecordDecider.decide(command, ledger.state<ServiceRecordState>(serviceRecordDecider, `record-${recordId}`), {
            now: NOW, volunteer: ledger.state(volunteerDecider, `volunteer-v${it.volunteer}`), orgUnit: ledger.state(orgUnitDecider, `orgunit-${UNITS[it.unit][0]}`),
          }));
          if (ok) recordIds.push(recordId);
          return;
        }
        if (recordIds.length === 0) return;
        const recordId = recordIds[it.record % recordIds.length];
        const command = it.kind === 'approve' ? { type: 'ApproveService' as const, recordId }
          : it.kind === 'reject' ? { type: 'RejectService' as const, recordId, reason: '不符合' }
            : it.kind === 'revoke' ? { type: 'RevokeService' as const, recordId, reason: '误录' }
              : { type: 'AmendService' as const, recordId, minutes: it.minutes, reason: '核对' };
        ledger.run(`record-${recordId}`, () => serviceRecordDecider.decide(command, ledger.state<ServiceRecordState>(serviceRecordDecider, `record-${recordId}`), { now: NOW }));
      });

      await rm.reset();
      await rm.apply(ledger.log);
      // The truth, from the deciders' own record states.
      const approved = recordIds.map((id) => ledger.state<ServiceRecordState>(serviceRecordDecider, `record-${id}`))
        .filter((s) => s.status === 'approved').map((s) => s.details!);
      const [from, to] = a <= b ? [a, b] : [b, a];
      for (const [unit] of UNITS) {
        const report = await orgUnitReport(rm.models, unit, { from, to }, groupBy);
        const inScope = approved.filter((r) => ANCESTORS[r.orgUnitId].includes(unit) && r.serviceDate >= from && r.serviceDate <= to);
        const perVolunteer = new Map<string, number>();
        for (const r of inScope) perVolunteer.set(r.volunteerId, (perVolunteer.get(r.volunteerId) ?? 0) + r.minutes);
        expect(report.total.serviceMinutes).toBe([...perVolunteer.values()].reduce((s, m) => s + m, 0));
        expect(report.total.volunteers).toBe(perVolunteer.size);
        expect(report.rows.reduce((s, r) => s + r.serviceMinutes, 0)).toBe(report.total.serviceMinutes);
      }
      // All time, the districts together hold exactly every volunteer's approved hours.
      const allTime = await Promise.all(['d1', 'd2'].map(async (d) => (await orgUnitReport(rm.models, d, { from: '2000-01-01', to: '2026-11-20' }, 'child')).total.serviceMinutes));
      const hours = await Promise.all(Array.from({ length: VOLUNTEERS }, async (_, v) => (await volunteerHours(rm.models, `v${v}`, [100]))!.approvedMinutes));
      expect(allTime[0] + allTime[1]).toBe(hours.reduce((s, m) => s + m, 0));
    }), { numRuns: adapter.name === 'SQLite' ? 80 : 15 }); // PostgreSQL: fewer, each is many round trips
  });
});
