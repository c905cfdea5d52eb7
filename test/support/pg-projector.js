// A projector process for the takeover tests: follows the PostgreSQL event log and
// applies the projections to the PostgreSQL read store, printing its role when it
// changes ("role active" / "role standby") and each committed position. Built code (npm run build).
const { PostgresEventStore } = require('../../dist/libs/event-store/src');
const { PostgresProjector } = require('../../dist/libs/read-store/src');

const [url, name] = process.argv.slice(2);

(async () => {
  const store = await PostgresEventStore.open({ url, applicationName: `projector ${name} log` });
  const projector = await PostgresProjector.open(store, { url, standbyPollMs: 100, pacingMs: 0, applicationName: `projector ${name}` });
  projector.onProjected = (position) => process.stdout.write(`projected ${position}\n`);
  let role = '';
  setInterval(() => {
    if (projector.role !== role) process.stdout.write(`role ${(role = projector.role)}\n`);
  }, 10);
  projector.start();
  process.on('SIGTERM', async () => {
    await projector.stop();
    await store.close();
    process.exit(0);
  });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
