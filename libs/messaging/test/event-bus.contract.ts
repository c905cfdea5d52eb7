import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@haitang/event-store';
import type { EventBus } from '../src';

// Errors are matched by name, not class, so the suite also runs against adapters loaded from the build.

export interface EventBusFixture {
  bus: EventBus;
  /** Closes the bus and connects again to the same topic (to prove what was acknowledged is kept). */
  reopen(): Promise<EventBus>;
  cleanup(): Promise<void>;
}

/** Events at positions from..to, spread over a few streams, shaped as the store records them. */
export function loggedEvents(from: number, to: number): RecordedEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => {
    const position = from + i;
    return {
      position,
      streamId: `activity-${position % 3}`,
      streamVersion: Math.floor(position / 3),
      eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      type: position % 2 ? 'VolunteerCheckedIn.v1' : 'ServiceRecorded.v1',
      data: { position, title: '玩转智能手机', nested: { minutes: position * 5, tags: ['庆元家园社区', null] } },
      metadata: { actor: { id: `staff-${position % 4}`, role: 'staff', orgUnitId: 'qingyuan' }, commandId: randomUUID() },
      recordedAt: new Date(Date.UTC(2026, 10, 26, 8, 0, position)).toISOString(),
    };
  });
}

/** Follows the bus from `after` until `count` events arrived or `timeoutMs` passed; the batches as received. */
export async function followFor(bus: EventBus, after: number, count: number, timeoutMs = 20_000, batchSize = 97): Promise<RecordedEvent[][]> {
  const batches: RecordedEvent[][] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let seen = 0;
    if (count === 0 && timeoutMs <= 0) return batches;
    for await (const batch of bus.follow(after, { signal: controller.signal, batchSize, pollIntervalMs: 20 })) {
      batches.push(batch);
      seen += batch.length;
      if (seen >= count && count > 0) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return batches;
}

const positions = (batches: RecordedEvent[][]) => batches.flat().map((e) => e.position);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * The contract every EventBus adapter must pass, unchanged.
 * `makeFixture` gives a fresh, empty bus (topic) for each test.
 */
export function eventBusContract(adapter: string, makeFixture: () => Promise<EventBusFixture>): void {
  describe(`EventBus contract: ${adapter}`, () => {
    let fixture: EventBusFixture;
    let bus: EventBus;
    beforeEach(async () => {
      fixture = await makeFixture();
      bus = fixture.bus;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('starts empty: nothing published, nothing to follow', async () => {
      expect(await bus.lastPublished()).toBeNull();
      expect(await followFor(bus, 0, 0, 500)).toEqual([]);
    });

    it('hands a follower every published event, in order, intact', async () => {
      const events = loggedEvents(1, 25);
      await bus.publish(events.slice(0, 10));
      await bus.publish(events.slice(10));
      expect(await bus.lastPublished()).toEqual({ position: 25, eventId: events[24].eventId });
      const batches = await followFor(bus, 0, 25);
      expect(batches.flat()).toEqual(events);
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(97);
    });

    it('follows from any position, and goes on with what is published later', async () => {
      await bus.publish(loggedEvents(1, 25));
      expect(positions(await followFor(bus, 10, 15))).toEqual(range(11, 25));
      const later = followFor(bus, 25, 5);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await bus.publish(loggedEvents(26, 30));
      expect(positions(await later)).toEqual(range(26, 30));
      expect(positions(await followFor(bus, 30, 0, 300))).toEqual([]);
    });

    it('hands each position once when a relay publishes a tail again (its acknowledgement was lost)', async () => {
      await bus.publish(loggedEvents(1, 10));
      await bus.publish(loggedEvents(6, 15));
      await bus.publish(loggedEvents(15, 18));
      expect(await bus.lastPublished()).toEqual({ position: 18, eventId: loggedEvents(18, 18)[0].eventId });
      expect(positions(await followFor(bus, 0, 18))).toEqual(range(1, 18));
      expect(positions(await followFor(bus, 7, 11))).toEqual(range(8, 18));
    });

    it('keeps what it acknowledged when the connection is closed and opened again', async () => {
      const events = loggedEvents(1, 12);
      await bus.publish(events);
      bus = await fixture.reopen();
      expect(await bus.lastPublished()).toEqual({ position: 12, eventId: events[11].eventId });
      expect((await followFor(bus, 0, 12)).flat()).toEqual(events);
    });

    it('keeps up with a publisher while following, in batches no larger than asked', async () => {
      const following = followFor(bus, 0, 400, 30_000, 50);
      for (let b = 0; b < 20; b++) {
        await bus.publish(loggedEvents(b * 20 + 1, b * 20 + 20));
        if (b % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const batches = await following;
      expect(positions(batches)).toEqual(range(1, 400));
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(50);
    });

    it('refuses to skip a position it does not hold', async () => {
      await bus.publish(loggedEvents(1, 5));
      await bus.publish(loggedEvents(8, 9));
      const seen: number[] = [];
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 20_000);
      const following = (async () => {
        for await (const batch of bus.follow(0, { signal: controller.signal, pollIntervalMs: 20 })) seen.push(...batch.map((e) => e.position));
      })();
      await expect(following).rejects.toMatchObject({ name: 'EventBusGapError', expected: 6, found: 8 });
      clearTimeout(timer);
      expect(seen).toEqual([1, 2, 3, 4, 5]);
    });

    it('stops following when told to', async () => {
      await bus.publish(loggedEvents(1, 3));
      const controller = new AbortController();
      const seen: number[] = [];
      const following = (async () => {
        for await (const batch of bus.follow(0, { signal: controller.signal, pollIntervalMs: 20 })) {
          seen.push(...batch.map((e) => e.position));
          if (seen.length === 3) setTimeout(() => controller.abort(), 50);
        }
      })();
      await expect(following).resolves.toBeUndefined();
      expect(seen).toEqual([1, 2, 3]);
    });
  });
}
