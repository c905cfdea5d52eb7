'use strict';
/**
 * jest globalSetup: prepares a run directory for the shared PostgreSQL cluster
 * (started by the first suite that needs it, see postgres-cluster.js) and says
 * in ONE line when the PostgreSQL suites will be skipped.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { findPostgresBinaries } = require('./postgres-cluster');

module.exports = async function globalSetup() {
  process.env.HAITANG_TEST_RUN_PID = String(process.pid);
  process.env.HAITANG_TEST_PG_STATE = mkdtempSync(join(tmpdir(), 'haitang-pg-run-'));
  const found = findPostgresBinaries();
  if (found.missing) process.stdout.write(`\nPostgreSQL suites skipped: ${found.missing}.\n`);
};
