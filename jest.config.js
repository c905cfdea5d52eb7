/** Jest runs TypeScript through SWC (the same transform as `npm run build`). */
const swcrc = require('./swc-jest.json');
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcrc] },
  moduleNameMapper: {
    '^@haitang/(domain|event-store|messaging|read-store|auth)$': '<rootDir>/libs/$1/src',
    '^@haitang/(ledger|reporting|projector)$': '<rootDir>/apps/$1/src',
  },
  // The shared PostgreSQL cluster (test/support/postgres-cluster.js): started on first use, stopped here.
  globalSetup: '<rootDir>/test/support/postgres-global-setup.js',
  globalTeardown: '<rootDir>/test/support/postgres-global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
