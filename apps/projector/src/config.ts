import { storeChoice } from '@haitang/event-store';
import { type BusChoice, busChoice } from '@haitang/messaging';
import { type EventLogLocation, eventLogFromEnv } from '@haitang/read-store';

/** What the projector process reads from the environment (the same variables as Haitang; see README). */
export interface ProjectorConfig {
  /** Where /health and /metrics listen (PORT, default 3001). */
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** The event log: events.sqlite in HAITANG_DATA_DIR, a PostgreSQL database, or KurrentDB. */
  readonly eventStore: EventLogLocation;
  /** The PostgreSQL database of the read models. */
  readonly readStoreUrl: string;
  /** Where new events come from (HAITANG_BUS): the event store's log itself, or the Kafka topic a relay fills. */
  readonly bus: BusChoice;
}

export function loadProjectorConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  const port = Number(env.PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const readStore = storeChoice(env, 'HAITANG_READ_STORE');
  if (readStore.kind !== 'postgres') {
    throw new Error('The projector process keeps read models in PostgreSQL: set HAITANG_READ_STORE=postgres (with SQLite read models the projector runs inside Haitang)');
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: env.LOG_LEVEL ?? 'info',
    eventStore: eventLogFromEnv(env),
    readStoreUrl: readStore.url,
    bus: busChoice(env),
  };
}
