import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { haitangTypes, PostgresEventStore, type RecordedEvent } from '@haitang/event-store';
import { PostgresProjector, READ_STORE_TABLE_NAMES } from '@haitang/read-store';
import { InProcessBroker, InProcessEventBus, LogRelay, LogViaBus } from '../src';
import { BusWrapper } from './bus-wrapper';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { sortedDump } from '../../read-store/test/dump';

const meta = { actor: { id: 'staff-1', role: 'staff', orgUnitId: 'c1' } };
const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, data, metadata: meta });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Publishes every third batch twice over (as two relays, or a producer retrying without idempotence, would), and fails every fifth before publishing. */
class RepeatingBus extends BusWrapper {
  private calls = 0;
  override async publish(events: readonly RecordedEvent[]): Promise<void> {
    this.calls++;
    if (this.calls % 5 === 0) throw new Error('broker unavailable');
    await this.inner.publish(events);
    if (this.calls % 3 === 0) await this.inner.publish(events);
  }
}

async function dump(url: string) {
  const client = new Client({ connectionString: url, types: haitangTypes });
  await client.connect();
  try {
    const rows: Record<string, Record<string, unknown>[]> = {};
    for (const t of READ_STORE_TABLE_NAMES) rows[t] = (await client.query(`SELECT * FROM ${t}`)).rows;
    rows.checkpoints = (await client.query('SELECT projection, position FROM checkpoints')).rows;
    return sortedDump(rows);
  } finally {
    await client.end();
  }
}

/**
 * HAITANG_BUS=kafka without Kafka's part: the PostgreSQL projector following
 * a bus that a relay fills from the event store, with repeats in the bus.
 * The read models equal a build from the store's own log.
 */
describePostgres('the projector following a bus a relay fills (in-process bus)', () => {
  it('applies each event once, in order, as when following the store', async () => {
    const logUrl = await freshDatabase('bus_log');
    const readUrl = await freshDatabase('bus_read');
    const store = await PostgresEventStore.open({ url: logUrl });
    const broker = new InProcessBroker();
    const bus = new InProcessEventBus(broker);
    const relay = new LogRelay(store, new RepeatingBus(bus), { batchSize: 7, pollIntervalMs: 10, retryMs: 5 });
    const projector = await PostgresProjector.open(new LogViaBus(store, bus), { url: readUrl, pacingMs: 0, standbyPollMs: 50 });
    try {
      relay.start();
      projector.start();
      await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'community', name: '庆元家园社区', parentId: null })] }]);
      for (let v = 0; v < 5; v++) {
        await store.append([{ streamId: `volunteer-v${v}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
          volunteerId: `v${v}`, displayName: `志愿者${v}`, homeOrgUnitId: 'c1', partyMember: v % 2 === 0, senior: false, occupation: 'ride-hailing', personalData: null,
        })] }]);
      }
      for (let i = 0; i < 60; i++) {
        await store.append([{ streamId: `record-r${i}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
          recordId: `r${i}`, volunteerId: `v${i % 5}`, orgUnitId: 'c1', category: 'errand-escort', serviceDate: '2026-11-20', minutes: 30 + i,
          status: 'approved', source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '送医陪护',
        })] }]);
        if (i % 10 === 0) await sleep(5);
      }
      const head = await store.headPosition();
      for (const deadline = Date.now() + 30_000; projector.position < head;) {
        if (Date.now() > deadline) throw new Error(`projected ${projector.position} of ${head}`);
        await sleep(20);
      }
      expect(broker.size).toBeGreaterThan(head + 10);
      const scratchUrl = await freshDatabase('bus_scratch');
      const scratch = await PostgresProjector.open(null, { url: scratchUrl });
      await scratch.applyBatch(await store.readAll(0, 1_000_000));
      await scratch.stop();
      expect(await dump(readUrl)).toEqual(await dump(scratchUrl));
      const reader = new Client({ connectionString: readUrl, types: haitangTypes });
      await reader.connect();
      const { minutes, records } = (await reader.query('SELECT sum(minutes) AS minutes, count(*) AS records FROM service_records')).rows[0];
      await reader.end();
      expect([records, minutes]).toEqual([60, Array.from({ length: 60 }, (_, i) => 30 + i).reduce((s, m) => s + m, 0)]);
    } finally {
      await relay.stop();
      await projector.stop();
      await store.close();
    }
  });
});
