import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@haitang/event-store';
import {
  ALL_PROJECTIONS, FigureCache, openReadModels, orgUnitReport, type OrgUnitReport, rebuildReadModels, SqliteProjectionRunner, SqliteReadModels, volunteerHours,
} from '../src';
import { dumpReadModels } from './dump';

const meta = { actor: { id: 'staff', role: 'staff', orgUnitId: 'c1' } };
const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, data, metadata: meta });

async function recordService(store: SqliteEventStore, volunteerId: string, recordId: string, minutes: number) {
  await store.append([{ streamId: `record-${recordId}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
    recordId, volunteerId, orgUnitId: 'c1', category: 'environment', serviceDate: '2026-10-08', minutes, status: 'approved',
    source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '清理楼道',
  })] }]);
}

describe('rebuilding the read models from the log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-rebuild-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replays into fresh tables and swaps them in while a projector keeps following, ending equal to a from-scratch build', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (let v = 0; v < 20; v++) {
      await store.append([{ streamId: `volunteer-v${v}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
        volunteerId: `v${v}`, displayName: `志愿者${v}`, homeOrgUnitId: 'c1', partyMember: v % 2 === 0, senior: v % 3 === 0, occupation: 'other', personalData: null,
      })] }]);
    }
    for (let i = 0; i < 300; i++) await recordService(store, `v${i % 20}`, `r${i}`, 30 + (i % 7));

    const liveFile = join(dir, 'readmodels.sqlite');
    const live = openReadModels(liveFile);
    const runner = new SqliteProjectionRunner(live, store, ALL_PROJECTIONS, 0);
    runner.start();
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    // Damage the live read model, as a bug in an old projection would.
    const models = new SqliteReadModels(live);
    const before = (await volunteerHours(models, 'v1', [100]))!.approvedMinutes;
    live.prepare('UPDATE service_records SET minutes = minutes * 2').run();
    expect((await volunteerHours(models, 'v1', [100]))!.approvedMinutes).toBe(2 * before);

    const progress: number[] = [];
    const writing = (async () => {
      for (let i = 300; i < 400; i++) await recordService(store, `v${i % 20}`, `r${i}`, 45);
    })();
    const result = await rebuildReadModels({ store, readModelsFile: liveFile, projections: ALL_PROJECTIONS, batchSize: 50, onProgress: (p) => progress.push(p.projected) });
    await writing;
    expect(result.events).toBeGreaterThanOrEqual(321);
    expect(progress.length).toBeGreaterThan(5);
    expect(await runner.waitFor(await store.headPosition(), 10_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));

    const scratch = openReadModels(join(dir, 'scratch.sqlite'));
    new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 100_000));
    expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));
    const expected = (await store.readAll(0, 100_000))
      .filter((e) => e.type === 'ServiceRecorded.v1' && (e.data as { volunteerId: string }).volunteerId === 'v1')
      .reduce((sum, e) => sum + (e.data as { minutes: number }).minutes, 0);
    expect((await volunteerHours(models, 'v1', [100]))!.approvedMinutes).toBe(expected);
    expect(readdirSync(dir).filter((f) => f.includes('rebuild'))).toEqual([]);

    await runner.stop();
    live.close();
    scratch.close();
    await store.close();
  });

  it('a fresh copy larger than its page cache goes to a temporary file meanwhile and ends equal to a from-scratch build', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (let chunk = 0; chunk < 100; chunk++) {
      await store.append(Array.from({ length: 100 }, (_, i) => ({ streamId: `record-r${chunk * 100 + i}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
        recordId: `r${chunk * 100 + i}`, volunteerId: `v${i % 40}`, orgUnitId: 'c1', category: 'environment', serviceDate: '2026-10-08', minutes: 30 + (i % 7),
        status: 'approved', source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '清理楼道',
      })] })));
    }
    const liveFile = join(dir, 'readmodels.sqlite');
    await rebuildReadModels({ store, readModelsFile: liveFile, projections: ALL_PROJECTIONS, cacheMB: 1 });
    const live = openReadModels(liveFile);
    // More than the 1 MB the fresh copy could keep in memory.
    expect((live.pragma('page_count', { simple: true }) as number) * (live.pragma('page_size', { simple: true }) as number)).toBeGreaterThan(2 ** 21);
    const scratch = openReadModels(join(dir, 'scratch.sqlite'));
    new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 100_000));
    expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));
    expect(live.prepare('SELECT count(*) FROM service_records').pluck().get()).toBe(10_000);
    live.close();
    scratch.close();
    await store.close();
  });

  it('drops read models written by another version of a projection and projects the log again from the start', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (let i = 0; i < 5; i++) await recordService(store, 'v1', `r${i}`, 40);
    const file = join(dir, 'readmodels.sqlite');
    let db = openReadModels(file);
    new SqliteProjectionRunner(db, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 100));
    const expected = dumpReadModels(db);
    // As an older Haitang left them: another version of one projection, and a table this one no longer has.
    db.exec(`UPDATE checkpoints SET version = version - 1 WHERE projection = 'records'; CREATE TABLE record_history (position INTEGER PRIMARY KEY)`);
    db.close();
    db = openReadModels(file);
    const runner = new SqliteProjectionRunner(db, store, ALL_PROJECTIONS, 0);
    expect(runner.outdated).toEqual(['records']);
    expect([runner.checkpoint(), db.prepare('SELECT count(*) FROM service_records').pluck().get()]).toEqual([0, 0]);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'record_history'`).pluck().get()).toBe(0);
    runner.applyBatch(await store.readAll(0, 100));
    expect(dumpReadModels(db)).toEqual(expected);
    db.close();
    await store.close();
  });

  it('fills each volunteer\'s totals (kept by triggers as records change) from the records after the bulk load: the same rows, the same hours', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (const v of ['v1', 'v2', 'v3']) {
      await store.append([{ streamId: `volunteer-${v}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
        volunteerId: v, displayName: v, homeOrgUnitId: 'c1', partyMember: false, senior: false, occupation: 'other', personalData: null,
      })] }]);
    }
    const categories = ['environment', 'errand-escort', 'digital-inclusion'];
    for (let i = 0; i < 30; i++) {
      await store.append([{ streamId: `record-r${i}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
        recordId: `r${i}`, volunteerId: `v${1 + (i % 2)}`, orgUnitId: 'c1', category: categories[i % 3], serviceDate: `${2024 + (i % 3)}-10-08`, minutes: 10 + i,
        status: i % 4 === 0 ? 'pending' : 'approved', source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '服务',
      })] }]);
    }
    const change = (recordId: string, type: string, data: Record<string, unknown>) =>
      store.append([{ streamId: `record-${recordId}`, expectedVersion: 'any', events: [event(type, { recordId, volunteerId: 'v1', ...data })] }]);
    await change('r0', 'ServiceApproved.v1', { minutes: 10 });
    await change('r4', 'ServiceRejected.v1', { reason: '重复' });
    await change('r1', 'ServiceAmended.v1', { previousMinutes: 11, minutes: 200, reason: '核对' });
    await change('r3', 'ServiceRevoked.v1', { previousStatus: 'approved', minutes: 13, reason: '误录' });
    await change('r9', 'ServiceRevoked.v1', { previousStatus: 'approved', minutes: 19, reason: '误录' });

    const scratch = openReadModels(join(dir, 'scratch.sqlite'));
    new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 1000));
    const liveFile = join(dir, 'readmodels.sqlite');
    await rebuildReadModels({ store, readModelsFile: liveFile, projections: ALL_PROJECTIONS });
    const live = openReadModels(liveFile);
    expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));

    // The answers against sums over the log, worked out here.
    const events = await store.readAll(0, 1000);
    const records = new Map<string, { volunteerId: string; category: string; year: string; minutes: number; status: string }>();
    for (const e of events) {
      const d = e.data as Record<string, any>;
      if (e.type === 'ServiceRecorded.v1') records.set(d.recordId, { volunteerId: d.volunteerId, category: d.category, year: d.serviceDate.slice(0, 4), minutes: d.minutes, status: d.status });
      else if (e.type === 'ServiceApproved.v1') records.get(d.recordId)!.status = 'approved';
      else if (e.type === 'ServiceRejected.v1') records.get(d.recordId)!.status = 'rejected';
      else if (e.type === 'ServiceRevoked.v1') records.get(d.recordId)!.status = 'revoked';
      else if (e.type === 'ServiceAmended.v1') records.get(d.recordId)!.minutes = d.minutes;
    }
    for (const v of ['v1', 'v2', 'v3']) {
      const mine = [...records.values()].filter((r) => r.volunteerId === v);
      const approved = mine.filter((r) => r.status === 'approved');
      const sumBy = (key: 'category' | 'year') => approved.reduce<Record<string, number>>((by, r) => ({ ...by, [r[key]]: (by[r[key]] ?? 0) + r.minutes }), {});
      const expected = {
        approvedMinutes: approved.reduce((sum, r) => sum + r.minutes, 0),
        pendingMinutes: mine.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.minutes, 0),
        byCategory: sumBy('category'), byYear: sumBy('year'),
      };
      for (const db of [live, scratch]) {
        const { approvedMinutes, pendingMinutes, byCategory, byYear } = (await volunteerHours(new SqliteReadModels(db), v, [100]))!;
        expect({ approvedMinutes, pendingMinutes, byCategory, byYear }).toEqual(expected);
      }
    }
    expect((await volunteerHours(new SqliteReadModels(live), 'v1', [100]))!.pendingMinutes).toBeGreaterThan(0);
    const { approvedMinutes, pendingMinutes, byCategory, byYear } = (await volunteerHours(new SqliteReadModels(live), 'v3', [100]))!;
    expect({ approvedMinutes, pendingMinutes, byCategory, byYear }).toEqual({ approvedMinutes: 0, pendingMinutes: 0, byCategory: {}, byYear: {} });
    live.close();
    scratch.close();
    await store.close();
  });

  it('a report cached from the old read models is computed again once a rebuild is swapped in', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (let i = 0; i < 10; i++) await recordService(store, 'v1', `r${i}`, 30);
    const liveFile = join(dir, 'readmodels.sqlite');
    const live = openReadModels(liveFile);
    const models = new SqliteReadModels(live);
    new SqliteProjectionRunner(live, store, ALL_PROJECTIONS, 0).applyBatch(await store.readAll(0, 100));
    live.prepare('UPDATE service_records SET minutes = minutes * 2').run();
    const reports = new FigureCache<OrgUnitReport>();
    const report = () => reports.get(models, { unitId: 'c1', fromMonth: '2026-10', toMonth: '2026-10' }, 'c1|2026-10',
      () => orgUnitReport(models, 'c1', { from: '2026-10-01', to: '2026-10-31' }, 'child'));
    expect((await report()).value.total.serviceMinutes).toBe(600);
    expect((await report()).hit).toBe(true);
    // The log did not change, so neither did the positions of the last changes: only the new generation tells the cache.
    await rebuildReadModels({ store, readModelsFile: liveFile, projections: ALL_PROJECTIONS });
    expect(await report()).toMatchObject({ hit: false, value: { total: { serviceMinutes: 300 } } });
    expect((await report()).hit).toBe(true);
    live.close();
    await store.close();
  });
});
