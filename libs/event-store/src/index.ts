export * from './event-store.port';
export * from './follow-log';
export * from './sqlite/sqlite-event-store';
export * from './postgres/postgres-event-store';
export * from './postgres/pg-connection';
export * from './postgres/migrations';
export * from './kurrentdb/kurrentdb-event-store';
export * from './store-choice';
