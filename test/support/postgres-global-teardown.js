'use strict';
/** jest globalTeardown: stops the run's shared PostgreSQL cluster if a suite started one. */
const { stopSharedCluster } = require('./postgres-cluster');

module.exports = async function globalTeardown() {
  const stateDir = process.env.HAITANG_TEST_PG_STATE;
  if (stateDir) stopSharedCluster(stateDir);
};
