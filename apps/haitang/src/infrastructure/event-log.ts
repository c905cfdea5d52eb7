import { type EventStore, KurrentDbEventStore, PostgresEventStore, SqliteEventStore } from '@haitang/event-store';
import type { EventLogLocation } from '@haitang/read-store';
import { dataFile, type HaitangConfig } from '../config';

/** The configured event log: events.sqlite in the data dir, a PostgreSQL database (migrated on open), or KurrentDB. */
export async function openEventLog(config: HaitangConfig, role = 'haitang', sqlite: { writerThread?: boolean } = {}): Promise<EventStore> {
  if (config.eventStore.kind === 'postgres') return PostgresEventStore.open({ url: config.eventStore.url, applicationName: role });
  if (config.eventStore.kind === 'kurrentdb') return KurrentDbEventStore.open({ url: config.eventStore.url, namespace: config.eventStore.namespace });
  return new SqliteEventStore({ file: dataFile(config, 'events.sqlite'), ...sqlite });
}

/** Where another thread or process finds the same log. */
export function eventLogLocation(config: HaitangConfig): EventLogLocation {
  return config.eventStore.kind === 'sqlite' ? { kind: 'sqlite', file: dataFile(config, 'events.sqlite') } : config.eventStore;
}
