import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, Kafka, type KafkaMessage, logLevel, type LogEntry, Partitioners, type Producer } from 'kafkajs';
import type { FollowOptions, RecordedEvent } from '@haitang/event-store';
import type { EventBus } from '../event-bus.port';
import { OrderedDelivery, slices, startOffset } from '../ordered-delivery';
import { Handoff } from './handoff';

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

/**
 * The Kafka adapter of the messaging port (kafkajs, which is no longer
 * released upstream: it stays behind this port).
 *
 * One topic with ONE partition holds the log in order: projections add up
 * across streams (a unit's totals), so a consumer needs the log's order, not a
 * stream's. Each message: key = stream id (for compaction-minded tools and
 * other consumers), value = the RecordedEvent as JSON, headers with the
 * position, type and event id. The relay publishes with the idempotent
 * producer, acks from every in-sync replica, one request at a time.
 *
 * Consumers need no committed offsets: the position a consumer wants says
 * where to start (see `startOffset`), and OrderedDelivery drops the repeats
 * of a relay that published a tail twice. Each `follow` joins a group of its
 * own, so a projector taking over from one that died does not wait for that
 * one's session to time out. Which projector applies is decided elsewhere
 * (PostgreSQL advisory locks), exactly as when following the store.
 */
export class KafkaEventBus implements EventBus {
  private producer: Producer | null = null;
  private readonly consumers = new Set<Consumer>();

  private constructor(private readonly kafka: Kafka, private readonly admin: Admin, private readonly options: KafkaEventBusOptions) {}

  /** Connects, creates the topic (one partition) when missing, and refuses a topic of several partitions. */
  static async open(options: KafkaEventBusOptions): Promise<KafkaEventBus> {
    const kafka = new Kafka({
      clientId: options.clientId ?? 'haitang',
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: () => ({ level, log }: LogEntry) => options.log?.(level === logLevel.ERROR ? 'error' : 'warn', `kafka: ${log.message}`),
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: options.topic, numPartitions: 1, replicationFactor: options.replicationFactor ?? 1, configEntries: [{ name: 'retention.ms', value: '-1' }] }],
      });
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [options.topic] })).topics;
      if (metadata.partitions.length !== 1) {
        throw new Error(`Kafka topic ${options.topic} has ${metadata.partitions.length} partitions; Haitang's log needs exactly one (the order across streams).`);
      }
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      throw new Error(`Kafka at ${options.brokers.join(',')} is not usable: ${(error as Error).message}`, { cause: error });
    }
    return new KafkaEventBus(kafka, admin, options);
  }

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    const producer = await this.connectedProducer();
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
  }

  async lastPublishedPosition(): Promise<number> {
    const { low, high } = await this.offsets();
    if (high === 0) return 0;
    if (high === low) {
      throw new Error(`Kafka topic ${this.options.topic} has lost every message (retention): publish the log again into a new topic.`);
    }
    const controller = new AbortController();
    try {
      for await (const batch of this.messagesFrom(high - 1, controller.signal, 100)) {
        const last = batch.find((m) => m.offset === high - 1);
        if (last) return last.event.position;
      }
    } finally {
      controller.abort();
    }
    throw new Error(`Kafka topic ${this.options.topic}: its last message could not be read.`);
  }

  async *follow(after: number, options: FollowOptions = {}): AsyncGenerator<RecordedEvent[]> {
    const batchSize = options.batchSize ?? 500;
    const delivery = new OrderedDelivery(after);
    const { low, high } = await this.offsets();
    const controller = new AbortController();
    const stop = () => controller.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const received of this.messagesFrom(startOffset(after, low, high), controller.signal, options.pollIntervalMs ?? 100)) {
        for (const batch of slices(delivery.accept(received.map((m) => m.event)), batchSize)) yield batch;
        delivery.assertNoGap();
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      controller.abort();
    }
  }

  async close(): Promise<void> {
    for (const consumer of this.consumers) await consumer.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
    await this.admin.disconnect().catch(() => undefined);
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
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
   * nothing committed: the next batch is fetched once this one was taken.
   */
  private async *messagesFrom(offset: number, signal: AbortSignal, maxWaitTimeInMs: number): AsyncGenerator<{ offset: number; event: RecordedEvent }[]> {
    const consumer = this.kafka.consumer({ groupId: `haitang-follow-${randomUUID()}`, maxWaitTimeInMs, allowAutoTopicCreation: false, sessionTimeout: 30_000 });
    this.consumers.add(consumer);
    const handoff = new Handoff<{ offset: number; event: RecordedEvent }[]>();
    consumer.on(consumer.events.CRASH, (crash) => {
      if (!crash.payload.restart) handoff.fail(crash.payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const beat = setInterval(() => void heartbeat().catch(() => undefined), 3000);
          try {
            await handoff.put(batch.messages.map((m) => ({ offset: Number(m.offset), event: decode(m) })));
          } finally {
            clearInterval(beat);
          }
        },
      });
      consumer.seek({ topic: this.options.topic, partition: PARTITION, offset: String(offset) });
      for (;;) {
        const received = await handoff.take(signal);
        if (received === undefined) return;
        const wanted = received.filter((m) => m.offset >= offset);
        if (wanted.length > 0) yield wanted;
      }
    } finally {
      handoff.end();
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
    }
  }
}

function decode(message: KafkaMessage): RecordedEvent {
  if (!message.value) throw new Error(`Kafka message at offset ${message.offset} has no value: not an event of Haitang's log.`);
  return JSON.parse(message.value.toString('utf8')) as RecordedEvent;
}
