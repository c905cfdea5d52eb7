import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, LogEntry, Producer } from 'kafkajs';
import type { FollowOptions, RecordedEvent } from '@haitang/event-store';
import type { EventBus, PublishedMark } from '../event-bus.port';
import { OrderedDelivery, slices, startOffset } from '../ordered-delivery';
import { Handoff } from './handoff';
import { kafkajs } from './kafka-client';

export interface KafkaEventBusOptions {
  /** host:port of one or more brokers (KAFKA_BROKERS, comma-separated). */
  readonly brokers: readonly string[];
  /** The topic of the log (HAITANG_KAFKA_TOPIC, default haitang.events). */
  readonly topic: string;
  readonly clientId?: string;
  /** Replicas of the topic when this bus creates it (HAITANG_KAFKA_REPLICATION, default 1). */
  readonly replicationFactor?: number;
  /** Where the client's own warnings go (default: nowhere). */
  readonly log?: (level: 'warn' | 'error', message: string) => void;
}

/** Events per produce request: far below the broker's default 1 MB per record batch. */
const PUBLISH_SLICE = 200;
const PARTITION = 0;
/** How far back from the end `lastPublished` reads, and how long it waits for the last message. */
const TAIL_MESSAGES = 100;
const TAIL_WAIT_MS = 15_000;

/** A message as the broker hands it out; decoded by whoever takes it, so that a bad one fails the reader, not kafkajs. */
interface RawMessage {
  readonly offset: number;
  readonly value: Buffer | null;
}

/**
 * The Kafka adapter of the messaging port (kafkajs, which is no longer
 * released upstream: it stays behind this port). docs/messaging.md says why
 * it is built this way.
 *
 * One topic with ONE partition holds the log in order: projections add up
 * across streams (a unit's totals), so a consumer needs the log's order, not a
 * stream's. Each message: key = stream id, value = the RecordedEvent as JSON,
 * headers with the position, type and event id. The topic must not be
 * compacted (compaction would keep one event per stream). The relay publishes
 * with the idempotent producer, acks from every in-sync replica, one request
 * at a time; a producer whose send failed is dropped, so the next send starts
 * a new producer id and sequence (a reused sequence could make the broker take
 * new events for a repeat of lost ones and drop them).
 *
 * Consumers need no committed offsets: the position a consumer wants says
 * where to start (see `startOffset`), each (re)join of the group seeks there
 * again, and OrderedDelivery drops the repeats of a relay that published a
 * tail twice. Each `follow` joins a group of its own, so a projector taking
 * over from one that died does not wait for that one's session to time out.
 * kafkajs does not restart a crashed consumer here: the crash fails the
 * `follow`, and its caller (projector, relay) follows again.
 */
export class KafkaEventBus implements EventBus {
  private producer: Producer | null = null;
  private readonly readers = new Map<Consumer, Handoff<RawMessage[]>>();

  private constructor(private readonly kafka: Kafka, private readonly admin: Admin, private readonly options: KafkaEventBusOptions) {}

  /** Connects, creates the topic (one partition, kept forever) when missing, and refuses a topic it cannot keep the log in. */
  static async open(options: KafkaEventBusOptions): Promise<KafkaEventBus> {
    const { Kafka, logLevel } = kafkajs();
    const kafka = new Kafka({
      clientId: options.clientId ?? 'haitang',
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: () => ({ level, log }: LogEntry) => options.log?.(level === logLevel.ERROR ? 'error' : 'warn', `kafka: ${log.message}`),
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const replicas = options.replicationFactor ?? 1;
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{
          topic: options.topic,
          numPartitions: 1,
          replicationFactor: replicas,
          configEntries: [
            { name: 'retention.ms', value: '-1' },
            { name: 'cleanup.policy', value: 'delete' },
            // acks=-1 means "every in-sync replica": with three replicas, insist on two.
            { name: 'min.insync.replicas', value: String(Math.min(2, replicas)) },
          ],
        }],
      });
      await checkTopic(admin, options.topic);
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      throw new Error(`Kafka at ${options.brokers.join(',')} is not usable: ${(error as Error).message}`, { cause: error });
    }
    return new KafkaEventBus(kafka, admin, options);
  }

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    const producer = await this.connectedProducer();
    try {
      for (const slice of slices(events, PUBLISH_SLICE)) {
        await producer.send({
          topic: this.options.topic,
          acks: -1,
          messages: slice.map((event) => ({
            partition: PARTITION,
            key: event.streamId,
            value: JSON.stringify(event),
            headers: { 'haitang-position': String(event.position), 'haitang-type': event.type, 'haitang-event-id': event.eventId },
          })),
        });
      }
    } catch (error) {
      if (this.producer === producer) this.producer = null;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async lastPublished(): Promise<PublishedMark | null> {
    const { low, high } = await this.offsets();
    if (high === 0) return null;
    if (high === low) {
      throw new Error(`Kafka topic ${this.options.topic} has lost every message (retention): publish the log again into a new topic.`);
    }
    // The last message, read from a little before it: the very last offset may be a marker no reader is handed.
    const signal = AbortSignal.timeout(TAIL_WAIT_MS);
    let last: RecordedEvent | null = null;
    try {
      for await (const batch of this.messagesFrom(Math.max(low, high - TAIL_MESSAGES), signal, 100)) {
        for (const message of batch) if (message.offset < high) last = decode(message);
        if (batch[batch.length - 1].offset >= high - 1) break;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
    if (!last) throw new Error(`Kafka topic ${this.options.topic}: no event found among its last ${TAIL_MESSAGES} messages within ${TAIL_WAIT_MS / 1000} s.`);
    return { position: last.position, eventId: last.eventId };
  }

  async *follow(after: number, options: FollowOptions = {}): AsyncGenerator<RecordedEvent[]> {
    const batchSize = options.batchSize ?? 500;
    const controller = new AbortController();
    const stop = () => controller.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    try {
      const delivery = new OrderedDelivery(after);
      const { low, high } = await this.offsets();
      for await (const received of this.messagesFrom(startOffset(after, low, high), controller.signal, options.pollIntervalMs ?? 100)) {
        for (const batch of slices(delivery.accept(received.map(decode)), batchSize)) yield batch;
        delivery.assertNoGap();
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      controller.abort();
    }
  }

  async close(): Promise<void> {
    for (const [consumer, handoff] of this.readers) {
      handoff.end();
      await consumer.disconnect().catch(() => undefined);
    }
    this.readers.clear();
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
    await this.admin.disconnect().catch(() => undefined);
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: kafkajs().Partitioners.DefaultPartitioner });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async offsets(): Promise<{ low: number; high: number }> {
    const partition = (await this.admin.fetchTopicOffsets(this.options.topic)).find((p) => p.partition === PARTITION);
    if (!partition) throw new Error(`Kafka topic ${this.options.topic} has no partition ${PARTITION}.`);
    return { low: Number(partition.low), high: Number(partition.high) };
  }

  /**
   * The topic's messages from `offset` on, batch by batch as the broker hands
   * them out, until `signal` aborts. A consumer of its own group, with
   * nothing committed: every join of the group (the first, and after a leader
   * moved) seeks to the next offset wanted, and the next batch is fetched
   * only once this one was taken (backpressure).
   */
  private async *messagesFrom(offset: number, signal: AbortSignal, maxWaitTimeInMs: number): AsyncGenerator<RawMessage[]> {
    const consumer = this.kafka.consumer({
      groupId: `haitang-follow-${randomUUID()}`,
      maxWaitTimeInMs,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    const handoff = new Handoff<RawMessage[]>();
    this.readers.set(consumer, handoff);
    let next = offset;
    consumer.on(consumer.events.CRASH, (crash) => handoff.fail(crash.payload.error));
    consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic: this.options.topic, partition: PARTITION, offset: String(next) }));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const beat = setInterval(() => void heartbeat().catch(() => undefined), 3000);
          try {
            await handoff.put(batch.messages.map((m) => ({ offset: Number(m.offset), value: m.value })));
          } finally {
            clearInterval(beat);
          }
        },
      });
      for (;;) {
        const received = await handoff.take(signal);
        if (received === undefined) return;
        const wanted = received.filter((m) => m.offset >= next);
        if (wanted.length === 0) continue;
        next = wanted[wanted.length - 1].offset + 1;
        yield wanted;
      }
    } finally {
      handoff.end();
      this.readers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
    }
  }
}

/** Refuses a topic that cannot hold the log: several partitions (no order across them), or compaction (one event per stream kept). */
async function checkTopic(admin: Admin, topic: string): Promise<void> {
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  if (metadata.partitions.length !== 1) {
    throw new Error(`topic ${topic} has ${metadata.partitions.length} partitions; Haitang's log needs exactly one (the order across streams).`);
  }
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs().ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] });
  const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue ?? 'delete';
  if (policy.includes('compact')) throw new Error(`topic ${topic} is compacted (cleanup.policy=${policy}): it would keep only the last event of each stream.`);
}

function decode(message: RawMessage): RecordedEvent {
  if (!message.value) throw new Error(`Kafka message at offset ${message.offset} has no value: not an event of Haitang's log.`);
  return JSON.parse(message.value.toString('utf8')) as RecordedEvent;
}
