/** Jest runs TypeScript through SWC (the same transform as `npm run build`). */
const swcrc = require('./swc-jest.json');
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcrc],
    // jose ships ES modules only (Node loads them with require(esm); jest's module system does not): compiled to CommonJS for tests.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' }, jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
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
