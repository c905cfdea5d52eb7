export * from './projection-progress';
export * from './read-models.port';
export * from './sqlite/sqlite-read-models';
export * from './sqlite/sqlite-projection';
export * from './sqlite/sqlite-projection-runner';
export * from './sqlite/projector-thread';
export * from './sqlite/rebuild';
export * from './sqlite/statements';
export * from './projections/records.projection';
export * from './projections/org-units.projection';
export * from './projections/activities.projection';
export * from './projections/all-projections';
export * from './queries/volunteer-hours.query';
export * from './queries/calendar';
export * from './queries/hours';
export * from './queries/org-units.query';
export * from './queries/activities.query';
export * from './queries/dashboard.query';
export * from './queries/report.query';

/** How far the read models have come: a ProjectionProgress. */
export const PROJECTION_PROGRESS = Symbol('ProjectionProgress');
export * from './projections/figure-changes.projection';
export * from './queries/figure-cache';
export * from './postgres/schema';
export * from './postgres/postgres-read-models';
export * from './postgres/postgres-projections';
export * from './postgres/postgres-projector';
export * from './postgres/rebuild';
