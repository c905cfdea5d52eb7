import { kafkaSettings } from '@haitang/messaging';
import { type EventLogLocation, eventLogFromEnv } from '@haitang/read-store';

/** What the relay process reads from the environment (the same variables as Haitang; see README). */
export interface RelayConfig {
  /** Where /health and /metrics listen (PORT, default 3002). */
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** The event log to relay: events.sqlite in HAITANG_DATA_DIR, a PostgreSQL database, or KurrentDB. */
  readonly eventStore: EventLogLocation;
  /** Where to (KAFKA_BROKERS, HAITANG_KAFKA_TOPIC, HAITANG_KAFKA_REPLICATION). */
  readonly kafka: { readonly brokers: readonly string[]; readonly topic: string; readonly replicationFactor: number };
}

export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const port = Number(env.PORT ?? 3002);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: env.LOG_LEVEL ?? 'info',
    eventStore: eventLogFromEnv(env),
    kafka: kafkaSettings(env),
  };
}
