export * from './sqlite/sqlite-projection';
export * from './sqlite/sqlite-projection-runner';
export * from './sqlite/statements';
export * from './projections/records.projection';
export * from './queries/volunteer-hours.query';

export const READ_MODELS = Symbol('ReadModels');
export const PROJECTION_RUNNER = Symbol('ProjectionRunner');
