export * from './event-store.port';
export * from './follow-log';
export * from './sqlite/sqlite-event-store';
