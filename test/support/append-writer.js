// A writer process for the event-store process tests: appends `count` events to
// the SQLite file (a few concurrent appends at a time) and prints the id of each
// event once its append was acknowledged. Uses the built code (npm run build).
const { randomUUID } = require('node:crypto');
const { SqliteEventStore } = require('../../dist/libs/event-store/src');

const [file, writerId, count, concurrency = '4'] = process.argv.slice(2);
const store = new SqliteEventStore({ file, busyTimeoutMs: 60_000 });
let next = 0;

async function lane() {
  while (next < Number(count)) {
    const i = next++;
    const eventId = randomUUID();
    await store.append([{
      streamId: `writer-${writerId}-${i % 5}`,
      expectedVersion: 'any',
      events: [{ eventId, type: 'Written.v1', data: { writerId, i }, metadata: {} }],
    }]);
    process.stdout.write(`${eventId}\n`);
  }
}

Promise.all(Array.from({ length: Number(concurrency) }, lane))
  .then(() => store.close())
  .then(() => process.exit(0))
  .catch((error) => { console.error(error); process.exit(1); });
