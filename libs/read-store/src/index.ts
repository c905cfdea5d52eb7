export * from './projection-progress';
export * from './sqlite/sqlite-projection';
export * from './sqlite/sqlite-projection-runner';
export * from './sqlite/projector-thread';
export * from './sqlite/statements';
export * from './projections/records.projection';
export * from './projections/all-projections';
export * from './queries/volunteer-hours.query';

export const READ_MODELS = Symbol('ReadModels');
/** How far the read models have come: a ProjectionProgress. */
export const PROJECTION_PROGRESS = Symbol('ProjectionProgress');
