'use strict';
/**
 * jest globalSetup: prepares a run directory for the shared PostgreSQL cluster
 * (started by the first suite that needs it, see postgres-cluster.js) and says
 * in ONE line when the PostgreSQL suites will be skipped; likewise for the
 * KurrentDB and Kafka suites, which run only against a server named by
 * KURRENTDB_URL / KAFKA_BROKERS (none can run on a machine without Docker).
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
  if (!process.env.KURRENTDB_URL) process.stdout.write('\nKurrentDB suites skipped: KURRENTDB_URL is not set (e.g. kurrentdb://localhost:2113?tls=false, KurrentDB 25.1 or later).\n');
  if (!process.env.KAFKA_BROKERS) process.stdout.write('\nKafka suites skipped: KAFKA_BROKERS is not set (e.g. localhost:9092).\n');
};
