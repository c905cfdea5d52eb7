import { randomUUID } from 'node:crypto';
import { busChoice, KafkaEventBus, kafkaSettings } from '../src';
import { eventBusContract, type EventBusFixture } from './event-bus.contract';
import { describeKafka } from '../../../test/support/kafka';

/**
 * The same contract against a real Kafka broker, when KAFKA_BROKERS names one
 * (jest's globalSetup says in one line that these were skipped otherwise).
 * Each test gets a topic of its own.
 */

async function kafkaFixture(): Promise<EventBusFixture> {
  const { brokers: list } = kafkaSettings(process.env);
  const topic = `haitang-test-${randomUUID()}`;
  const open = () => KafkaEventBus.open({ brokers: list, topic, clientId: 'haitang-tests' });
  let bus = await open();
  return {
    bus,
    async reopen() {
      await bus.close();
      bus = await open();
      return bus;
    },
    async cleanup() {
      await bus.close();
    },
  };
}

describeKafka('Kafka event bus', () => {
  eventBusContract('Kafka', kafkaFixture);
});

describe('Kafka settings', () => {
  it('reads the brokers, topic and replication, and refuses what Kafka would not take', () => {
    expect(kafkaSettings({ KAFKA_BROKERS: 'kafka:9092, kafka-2:9093' })).toEqual({ brokers: ['kafka:9092', 'kafka-2:9093'], topic: 'haitang.events', replicationFactor: 1 });
    expect(() => kafkaSettings({})).toThrow('KAFKA_BROKERS');
    expect(() => kafkaSettings({ KAFKA_BROKERS: 'kafka' })).toThrow('not host:port');
    expect(() => kafkaSettings({ KAFKA_BROKERS: 'kafka:9092', HAITANG_KAFKA_TOPIC: 'with space' })).toThrow('not a Kafka topic name');
    expect(() => kafkaSettings({ KAFKA_BROKERS: 'kafka:9092', HAITANG_KAFKA_REPLICATION: '0' })).toThrow('HAITANG_KAFKA_REPLICATION');
  });

  it('chooses the store by default, Kafka when asked, and refuses anything else', () => {
    expect(busChoice({})).toEqual({ kind: 'store' });
    expect(busChoice({ HAITANG_BUS: 'inprocess' })).toEqual({ kind: 'store' });
    expect(busChoice({ HAITANG_BUS: 'Kafka', KAFKA_BROKERS: 'kafka:9092', HAITANG_KAFKA_TOPIC: 'suzhou.events' })).toEqual({ kind: 'kafka', brokers: ['kafka:9092'], topic: 'suzhou.events', replicationFactor: 1 });
    expect(() => busChoice({ HAITANG_BUS: 'kafka' })).toThrow('KAFKA_BROKERS');
    expect(() => busChoice({ HAITANG_BUS: 'rabbitmq' })).toThrow('HAITANG_BUS must be store, inprocess or kafka');
  });
});
