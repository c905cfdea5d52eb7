import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/built';
import { client, type HaitangProcess, startHaitang } from './support/haitang-process';
import { dumpReadModels } from '../libs/read-store/test/dump';

// The built modules, exactly what the server runs.
const dist = (lib: string) => require(join(ROOT, 'dist', 'libs', lib, 'src'));

const KILLS = 20;

/**
 * kill -9 of the whole standalone process (ledger, writer thread and projector
 * thread), 20 times, at random moments while commands stream in. After each restart every
 * acknowledged command is in the log, and at the end the read models equal a
 * from-scratch rebuild of the log: no event lost, none counted twice.
 */
describe('crash recovery of the standalone process', () => {
  let dir: string;
  let app: HaitangProcess | undefined;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-crash-'))));
  afterAll(async () => {
    await app?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged command and projects exactly once across ${KILLS} SIGKILLs under write load`, async () => {
    app = await startHaitang(dir);
    let api = client(app.baseUrl, app.token);
    const unit = (await api.post('/org-units', { kind: 'district', name: '姑苏区' })).body.id;
    const volunteers: string[] = [];
    for (let i = 0; i < 10; i++) volunteers.push((await api.post('/volunteers', { homeOrgUnitId: unit, displayName: `志愿者${i}` })).body.id);

    const acknowledged: { id: string; position: number }[] = [];
    for (let round = 0; round < KILLS; round++) {
      let stop = false;
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          try {
            const answer = await api.post('/service-records', {
              volunteerId: volunteers[(w + i) % volunteers.length], orgUnitId: unit, category: 'garbage-sorting',
              serviceDate: '2026-10-20', minutes: 10 + ((w * 7 + i) % 50), description: '小蜜蜂垃圾分类督导',
            }, { 'idempotency-key': `crash-${round}-${w}-${i}` });
            if (answer.status === 201) acknowledged.push({ id: answer.body.id, position: answer.body.position });
          } catch {
            return; // the server died under us: this writer's round is over
          }
        }
      });
      // Under load: at least 10 commands of this round acknowledged (however slow the machine), then a random moment.
      const ackedBefore = acknowledged.length;
      for (let waited = 0; acknowledged.length - ackedBefore < 10 && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.random() * 400));
      await app.kill();
      stop = true;
      await Promise.all(writers);
      // The token signed before the crash stays valid (the signing key lives in the data directory).
      app = await startHaitang(dir, {}, { token: app.token });
      api = client(app.baseUrl, app.token);
      const head = await api.head();
      for (const a of acknowledged) {
        if (a.position > head) throw new Error(`acknowledged position ${a.position} is past the head ${head} after restart ${round}`);
      }
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILLS * 10);

    // Every acknowledged record is in the log.
    const { SqliteEventStore } = dist('event-store');
    const head = await api.head();
    const hours = await api.get(`/volunteers/${volunteers[0]}/hours?minPosition=${head}`);
    expect(hours.status).toBe(200);
    await app.stop();
    app = undefined;
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
    const log = await store.readAll(0, 1_000_000);
    const recorded = new Set(log.filter((e: { type: string }) => e.type === 'ServiceRecorded.v1').map((e: { data: { recordId: string } }) => e.data.recordId));
    expect(acknowledged.filter((a) => !recorded.has(a.id))).toEqual([]);
    expect(log.map((e: { position: number }) => e.position)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));

    // The read models equal a from-scratch projection of the same log.
    const { openReadModels, SqliteProjectionRunner, ALL_PROJECTIONS } = dist('read-store');
    const live = openReadModels(join(dir, 'readmodels.sqlite'));
    const scratch = openReadModels(join(dir, 'scratch.sqlite'));
    new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(log);
    expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));
    const total = log.filter((e: { type: string; data: { volunteerId: string } }) => e.type === 'ServiceRecorded.v1' && e.data.volunteerId === volunteers[0])
      .reduce((sum: number, e: { data: { minutes: number } }) => sum + e.data.minutes, 0);
    expect(hours.body.approvedMinutes).toBe(total);
    live.close();
    scratch.close();
    await store.close();
    // 21 starts of the process (each signs in with argon2) on a 2-core machine that other suites share: a generous limit, not a timing claim.
  }, 600_000);
});
