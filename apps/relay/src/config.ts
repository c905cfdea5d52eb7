import { resolve } from 'node:path';
import { storeChoice } from '@haitang/event-store';
import { kafkaSettings } from '@haitang/messaging';
import type { EventLogLocation } from '@haitang/read-store';

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
  const eventStore = storeChoice(env, 'HAITANG_EVENT_STORE');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: env.LOG_LEVEL ?? 'info',
    eventStore: eventStore.kind === 'sqlite' ? { kind: 'sqlite', file: resolve(env.HAITANG_DATA_DIR ?? './data', 'events.sqlite') } : eventStore,
    kafka: kafkaSettings(env),
  };
}
