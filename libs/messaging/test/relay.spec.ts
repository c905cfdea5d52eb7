import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedEvent, SqliteEventStore } from '@haitang/event-store';
import { type EventBus, InProcessBroker, InProcessEventBus, KafkaEventBus, kafkaSettings, LogRelay } from '../src';
import { BusWrapper } from './bus-wrapper';
import { followFor, loggedEvents } from './event-bus.contract';
import { describeKafka } from '../../../test/support/kafka';

/** A bus whose publishing fails the next `failures` times (the broker down), the rest passed through. */
class FlakyBus extends BusWrapper {
  failures = 0;
  override async publish(events: readonly RecordedEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      // As when the broker wrote the batch but the acknowledgement was lost: the relay cannot tell.
      if (this.failures % 2 === 0) await this.inner.publish(events);
      throw new Error('broker unavailable');
    }
    await this.inner.publish(events);
  }
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const checkIn = (i: number) => ({ eventId: randomUUID(), type: 'VolunteerCheckedIn.v1', data: { i, volunteerId: `v-${i % 7}` }, metadata: { actor: { id: 'staff-1' } } });

function relaySuite(adapter: string, openBus: () => Promise<{ bus: EventBus; reopen: () => Promise<EventBus>; brokerMessages?: () => number }>) {
  describe(`LogRelay: SQLite log -> ${adapter} bus`, () => {
    let dir: string;
    let store: SqliteEventStore;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'haitang-relay-'));
      store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const appendMany = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) await store.append([{ streamId: `activity-${i % 5}`, expectedVersion: 'any', events: [checkIn(i)] }]);
    };

    it('publishes the log in order, goes on with later appends, and after a restart from where the bus is, without repeats', async () => {
      const { bus, reopen, brokerMessages } = await openBus();
      await appendMany(0, 120);
      let relay = new LogRelay(store, bus, { batchSize: 50, pollIntervalMs: 10 });
      relay.start();
      await until(() => relay.position === 120);
      await appendMany(120, 30);
      await until(() => relay.position === 150);
      await relay.stop();
      await bus.close();
      await appendMany(150, 20);
      const again = await reopen();
      relay = new LogRelay(store, again, { batchSize: 50, pollIntervalMs: 10 });
      relay.start();
      await until(() => relay.position === 170);
      await relay.stop();
      expect(relay.publishedEvents).toBe(20);
      if (brokerMessages) expect(brokerMessages()).toBe(170);
      const relayed = (await followFor(again, 0, 170)).flat();
      expect(relayed.map((e) => e.eventId)).toEqual((await store.readAll(0, 1000)).map((e) => e.eventId));
      expect(relayed.map((e) => e.position)).toEqual(Array.from({ length: 170 }, (_, i) => i + 1));
      await again.close();
    });

    it('loses nothing and hands on nothing twice when publishing fails, with or without the broker having written the batch', async () => {
      const { bus } = await openBus();
      const flaky = new FlakyBus(bus);
      await appendMany(0, 40);
      const errors: string[] = [];
      const relay = new LogRelay(store, flaky, { batchSize: 10, pollIntervalMs: 10, retryMs: 10, log: (level, message) => level === 'error' && errors.push(message) });
      flaky.failures = 4;
      relay.start();
      await until(() => relay.position === 40);
      await appendMany(40, 10);
      flaky.failures = 1;
      await until(() => relay.position === 50);
      await relay.stop();
      expect(errors.length).toBeGreaterThanOrEqual(5);
      expect(errors[0]).toContain('broker unavailable');
      expect(relay.error).toBeNull();
      const relayed = (await followFor(bus, 0, 50)).flat();
      expect(relayed.map((e) => e.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(relayed.map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      await bus.close();
    });

    it('refuses to relay into a bus filled from another log, and says so', async () => {
      const { bus } = await openBus();
      const errors: string[] = [];
      // Another log's events at positions 1..5 (a topic shared by mistake), and a store with 10 of its own.
      await bus.publish(loggedEvents(1, 5));
      await appendMany(0, 10);
      const relay = new LogRelay(store, bus, { pollIntervalMs: 10, retryMs: 10, log: (level, message) => level === 'error' && errors.push(message) });
      relay.start();
      await until(() => relay.error !== null);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await relay.stop();
      expect(relay.error).toMatchObject({ name: 'ForeignBusError' });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('the bus was filled from another log');
      expect(relay.publishedEvents).toBe(0);
      expect((await followFor(bus, 0, 5)).flat().map((e) => e.eventId)).toEqual(loggedEvents(1, 5).map((e) => e.eventId));
      // A store that holds fewer events than the bus (reset, or an older backup) is refused the same way.
      const { bus: ahead } = await openBus();
      await ahead.publish((await store.readAll(0, 10)).concat(loggedEvents(11, 12)));
      const second = new LogRelay(store, ahead, { pollIntervalMs: 10, retryMs: 10 });
      second.start();
      await until(() => second.error !== null);
      await second.stop();
      expect(second.error?.message).toContain('the event store no event there');
      await bus.close();
      await ahead.close();
    });
  });
}

relaySuite('in-process', async () => {
  const broker = new InProcessBroker();
  return { bus: new InProcessEventBus(broker), reopen: async () => new InProcessEventBus(broker), brokerMessages: () => broker.size };
});

describeKafka('against a real Kafka broker (KAFKA_BROKERS)', () => {
  relaySuite('Kafka', async () => {
    const { brokers } = kafkaSettings(process.env);
    const topic = `haitang-relay-test-${randomUUID()}`;
    const open = () => KafkaEventBus.open({ brokers, topic, clientId: 'haitang-tests' });
    return { bus: await open(), reopen: open };
  });
});
