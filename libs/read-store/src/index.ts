export * from './projection-progress';
export * from './sqlite/sqlite-projection';
export * from './sqlite/sqlite-projection-runner';
export * from './sqlite/projector-thread';
export * from './sqlite/rebuild';
export * from './sqlite/statements';
export * from './projections/records.projection';
export * from './projections/org-units.projection';
export * from './projections/activities.projection';
export * from './projections/all-projections';
export * from './projections/stream-owners.projection';
export * from './queries/scope.query';
export * from './projections/audit.projection';
export * from './queries/audit.query';
export * from './queries/volunteer-hours.query';
export * from './queries/calendar';
export * from './queries/hours';
export * from './queries/org-units.query';
export * from './queries/activities.query';
export * from './queries/dashboard.query';
export * from './queries/report.query';

export const READ_MODELS = Symbol('ReadModels');
/** How far the read models have come: a ProjectionProgress. */
export const PROJECTION_PROGRESS = Symbol('ProjectionProgress');
export * from './projections/figure-changes.projection';
export * from './queries/figure-cache';
