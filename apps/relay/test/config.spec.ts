import { loadProjectorConfig } from '../../projector/src/config';
import { loadRelayConfig } from '../src/config';

describe('configuration of the relay and of a projector following Kafka', () => {
  it('relays the standalone log by default, to the brokers and topic given, on port 3002', () => {
    const config = loadRelayConfig({ KAFKA_BROKERS: 'kafka:9092', HAITANG_DATA_DIR: '/srv/haitang' });
    expect(config).toMatchObject({ port: 3002, eventStore: { kind: 'sqlite', file: '/srv/haitang/events.sqlite' }, kafka: { brokers: ['kafka:9092'], topic: 'haitang.events', replicationFactor: 1 } });
    expect(loadRelayConfig({ KAFKA_BROKERS: 'kafka:9092', HAITANG_EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://k:2113?tls=false' }).eventStore)
      .toEqual({ kind: 'kurrentdb', url: 'kurrentdb://k:2113?tls=false', namespace: 'haitang' });
  });

  it('refuses to start without brokers or with a port that is not one, saying what to set', () => {
    expect(() => loadRelayConfig({})).toThrow(/set KAFKA_BROKERS=host:9092/);
    expect(() => loadRelayConfig({ KAFKA_BROKERS: 'kafka:9092', PORT: 'eighty' })).toThrow(/PORT must be a port number/);
  });

  it('lets a projector follow Kafka when told, and refuses Kafka without brokers', () => {
    const env = { HAITANG_READ_STORE: 'postgres', DATABASE_URL: 'postgres://h@db/haitang' };
    expect(loadProjectorConfig(env).bus).toEqual({ kind: 'store' });
    expect(loadProjectorConfig({ ...env, HAITANG_BUS: 'kafka', KAFKA_BROKERS: 'a:9092,b:9092' }).bus).toEqual({ kind: 'kafka', brokers: ['a:9092', 'b:9092'], topic: 'haitang.events', replicationFactor: 1 });
    expect(() => loadProjectorConfig({ ...env, HAITANG_BUS: 'kafka' })).toThrow(/KAFKA_BROKERS/);
  });
});
