import { type EventStore, PostgresEventStore, SqliteEventStore } from '@haitang/event-store';
import type { EventLogLocation } from '@haitang/read-store';
import { dataFile, type HaitangConfig } from '../config';

/** The configured event log: events.sqlite in the data dir, or a PostgreSQL database (migrated on open). */
export async function openEventLog(config: HaitangConfig, role = 'haitang', sqlite: { writerThread?: boolean } = {}): Promise<EventStore> {
  if (config.eventStore.kind === 'postgres') return PostgresEventStore.open({ url: config.eventStore.url, applicationName: role });
  return new SqliteEventStore({ file: dataFile(config, 'events.sqlite'), ...sqlite });
}

/** Where another thread or process finds the same log. */
export function eventLogLocation(config: HaitangConfig): EventLogLocation {
  return config.eventStore.kind === 'postgres'
    ? { kind: 'postgres', url: config.eventStore.url }
    : { kind: 'sqlite', file: dataFile(config, 'events.sqlite') };
}
