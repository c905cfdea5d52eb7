import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { haitangTypes, PostgresEventStore } from '@haitang/event-store';
import { PostgresProjector, PostgresReadModels, readModelsGeneration, rebuildPostgresReadModels, volunteerHours } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { sortedDump } from './dump';

const meta = { actor: { id: 'staff', role: 'staff', orgUnitId: 'c1' } };
const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, data, metadata: meta });

async function recordService(store: PostgresEventStore, volunteerId: string, recordId: string, minutes: number) {
  await store.append([{ streamId: `record-${recordId}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
    recordId, volunteerId, orgUnitId: 'c1', category: 'environment', serviceDate: '2026-10-08', minutes, status: 'approved',
    source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '清理楼道',
  })] }]);
}

async function dump(url: string) {
  const client = new Client({ connectionString: url, types: haitangTypes });
  await client.connect();
  try {
    const tables = ['unit_keys', 'volunteer_keys', 'volunteers', 'service_records', 'org_units', 'org_unit_closure', 'activities', 'activity_roster', 'figure_changes',
      'stream_keys', 'actor_keys', 'event_types', 'stream_owners', 'audit_log'];
    const rows: Record<string, Record<string, unknown>[]> = {};
    for (const t of tables) rows[t] = (await client.query(`SELECT * FROM ${t}`)).rows;
    return sortedDump(rows);
  } finally {
    await client.end();
  }
}

describePostgres('rebuilding the PostgreSQL read models from the log', () => {
  it('replays into fresh tables and swaps them in while a projector keeps following, ending equal to a from-scratch build', async () => {
    const url = await freshDatabase('rebuild');
    const store = await PostgresEventStore.open({ url });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    for (let v = 0; v < 20; v++) {
      await store.append([{ streamId: `volunteer-v${v}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
        volunteerId: `v${v}`, displayName: `志愿者${v}`, homeOrgUnitId: 'c1', partyMember: v % 2 === 0, senior: v % 3 === 0, occupation: 'other', personalData: null,
      })] }]);
    }
    for (let i = 0; i < 300; i++) await recordService(store, `v${i % 20}`, `r${i}`, 30 + (i % 7));

    const projector = await PostgresProjector.open(store, { url, pacingMs: 0 });
    const models = await PostgresReadModels.open({ url });
    projector.start();
    expect(await projector.waitFor(await store.headPosition(), 20_000)).toBe(true);
    // Damage the live read model, as a bug in an old projection would.
    const before = (await volunteerHours(models, 'v1', [100]))!.approvedMinutes;
    const damage = new Client({ connectionString: url });
    await damage.connect();
    await damage.query('UPDATE service_records SET minutes = minutes * 2');
    await damage.end();
    expect((await volunteerHours(models, 'v1', [100]))!.approvedMinutes).toBe(2 * before);
    const generation = await readModelsGeneration(models);

    const progress: number[] = [];
    const writing = (async () => {
      for (let i = 300; i < 400; i++) await recordService(store, `v${i % 20}`, `r${i}`, 45);
    })();
    const result = await rebuildPostgresReadModels({ url, store, batchSize: 50, onProgress: (p) => progress.push(p.projected) });
    await writing;
    expect(result.events).toBeGreaterThanOrEqual(321);
    expect(progress.length).toBeGreaterThan(5);
    expect(await projector.waitFor(await store.headPosition(), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));

    // A from-scratch build of the same log, in another database.
    const scratchUrl = await freshDatabase('rebuild_scratch');
    const scratch = await PostgresProjector.open(null, { url: scratchUrl });
    await scratch.applyBatch(await store.readAll(0, 100_000));
    expect(await dump(url)).toEqual(await dump(scratchUrl));
    const expected = (await store.readAll(0, 100_000))
      .filter((e) => e.type === 'ServiceRecorded.v1' && (e.data as { volunteerId: string }).volunteerId === 'v1')
      .reduce((sum, e) => sum + (e.data as { minutes: number }).minutes, 0);
    expect((await volunteerHours(models, 'v1', [100]))!.approvedMinutes).toBe(expected);
    // A new generation of read models: reports cached from the damaged ones are computed again.
    expect(await readModelsGeneration(models)).not.toBe(generation);
    // Nothing is left of the rebuild's own schema.
    const check = new Client({ connectionString: url });
    await check.connect();
    expect((await check.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'haitang_rebuild%'`)).rows).toEqual([]);
    await check.end();

    await Promise.all([projector.stop(), scratch.stop(), models.close(), store.close()]);
  });

  it('replays a log read page by page when the store cannot stream it (no replayAll), to the same tables', async () => {
    const url = await freshDatabase('rebuild_paged');
    const store = await PostgresEventStore.open({ url });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'district', name: '姑苏区', parentId: null })] }]);
    await store.append([{ streamId: 'volunteer-v1', expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
      volunteerId: 'v1', displayName: '志愿者\t1', homeOrgUnitId: 'c1', partyMember: true, senior: false, occupation: 'other', personalData: null,
    })] }]);
    for (let i = 0; i < 120; i++) await recordService(store, 'v1', `r${i}`, 30 + (i % 7));
    // The same store, as one without replayAll (the SQLite and KurrentDB stores) is seen by the rebuild.
    const paged = Object.assign(Object.create(store) as PostgresEventStore, { replayAll: undefined });
    const result = await rebuildPostgresReadModels({ url, store: paged, batchSize: 25 });
    expect(result.events).toBe(122);

    const scratchUrl = await freshDatabase('rebuild_paged_scratch');
    const scratch = await PostgresProjector.open(null, { url: scratchUrl });
    await scratch.applyBatch(await store.readAll(0, 100_000));
    expect(await dump(url)).toEqual(await dump(scratchUrl));
    await Promise.all([scratch.stop(), store.close()]);
  });
});
