import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/built';
import { type Answer, client, type HaitangProcess, startHaitang } from './support/haitang-process';
import { frameOffset, scanWal } from './support/sqlite-wal';
import { dumpReadModels } from '../libs/read-store/test/dump';

// The built modules, exactly what the server runs.
const dist = (lib: string) => require(join(ROOT, 'dist', 'libs', lib, 'src'));

/*
 * A torn last page: the events file or its write-ahead log (-wal) ends in the
 * middle of a page, as after a crash during a write, and Haitang restarts on it.
 *
 * What is guaranteed, and proven here:
 * - events.sqlite runs in WAL mode with synchronous=FULL: a commit appends its
 *   pages to the -wal as frames, the last one marked as the commit, and fsyncs
 *   the -wal before COMMIT returns; a command is answered only after that. So
 *   a crash (kill -9, power loss on a disk that honours fsync) can only tear
 *   frames of a transaction that was never acknowledged.
 * - On restart SQLite's recovery reads the -wal, checks each frame's salt and
 *   chained checksum, and keeps exactly the frames up to the last valid commit
 *   frame. A torn transaction disappears whole: its events and its command
 *   receipt are in the same transaction, so there is never half a command, and
 *   a retry with the same Idempotency-Key records it once. The log stays
 *   gap-free, PRAGMA integrity_check is ok, and appends continue at head + 1.
 *   The test computes which transactions must survive with its own reading of
 *   the -wal (support/sqlite-wal.ts), not by asking SQLite.
 * - A commit becomes visible to readers only after its fsync, so the projector
 *   never applied a transaction that a crash can tear: read models stay equal
 *   to a projection of the recovered log.
 * - After a clean stop the -wal is checkpointed into events.sqlite and deleted.
 *   SQLite writes that file in whole pages and has nothing left to repair it
 *   with, so an events file cut short (mid-page, or by whole pages) was
 *   damaged by something other than a crash; Haitang refuses to start on it
 *   with a message saying so, and changes nothing (SQLite itself would read
 *   the missing bytes as zeros, silently altering events, and integrity_check
 *   can still answer ok). Restoring the file from a backup is the remedy.
 *
 * What is not guaranteed:
 * - We cannot kill the process inside an fsync, so the test simulates a torn
 *   write by cutting frames of commits that WERE acknowledged. In a real
 *   crash those frames were never fsynced and never acknowledged; if storage
 *   loses frames after fsync said they were safe (a disk cache that ignores
 *   flushes), acknowledged commands are lost, and so is every later commit,
 *   even intact ones: recovery stops at the first invalid frame.
 * - Because acknowledged commits are cut here, the projector may already have
 *   applied them; the projector does not notice that its checkpoint is past
 *   the recovered head, so these tests delete readmodels.sqlite before the
 *   restart (the documented way to rebuild the read models).
 * - Haitang does not detect damage inside a page of events.sqlite (SQLite has
 *   no page checksums), nor a cut-off events.sqlite while -wal frames exist
 *   (recovery may legitimately need them to redo an interrupted checkpoint).
 */
interface Sent {
  key: string;
  path: string;
  body: Record<string, unknown>;
  position: number;
}

async function command(api: ReturnType<typeof client>, sent: Sent[], key: string, path: string, body: Record<string, unknown>): Promise<Answer> {
  const answer = await api.post(path, body, { 'idempotency-key': key });
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  sent.push({ key, path, body, position: answer.body.position });
  return answer;
}

/** Registers a unit and a volunteer, then records service one command at a time: one transaction each. */
async function writeLedger(api: ReturnType<typeof client>, tag: string, records: number, sent: Sent[], ids?: { unit: string; volunteer: string }) {
  const unit = ids?.unit ?? (await command(api, sent, `${tag}-unit`, '/org-units', { kind: 'district', name: '姑苏区' })).body.id;
  const volunteer = ids?.volunteer ?? (await command(api, sent, `${tag}-volunteer`, '/volunteers', { homeOrgUnitId: unit, displayName: '钱阿姨' })).body.id;
  for (let i = 0; i < records; i++) {
    // Descriptions of 1 to ~1900 characters: some events fit in a leaf page, others spill into overflow pages.
    const description = `${'垃圾分类督导'.repeat(1 + ((i * 37) % 300))}`.slice(0, 1 + ((i * 211) % 1900));
    await command(api, sent, `${tag}-record-${i}`, '/service-records', {
      volunteerId: volunteer, orgUnitId: unit, category: 'garbage-sorting', serviceDate: '2026-10-20', minutes: 10 + i, description,
    });
  }
  return { unit, volunteer };
}

function removeReadModels(dir: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `readmodels.sqlite${suffix}`), { force: true });
}

/**
 * Cuts the -wal at `cutAt` bytes and returns how many of the last `sent`
 * transactions recovery must keep, from our own reading of the frames.
 */
function tearWal(dir: string, sent: Sent[], cutAt: (wal: ReturnType<typeof scanWal>, bytes: number) => number) {
  const file = join(dir, 'events.sqlite-wal');
  const bytes = readFileSync(file);
  const full = scanWal(bytes);
  // The log holds every frame since it was started (no checkpoint: far from 1000 pages), ending with a commit.
  expect(frameOffset(full, full.validFrames)).toBe(bytes.length);
  expect(full.commits.at(-1)).toBe(full.validFrames - 1);
  expect(full.validFrames).toBeLessThan(1000);
  // Commands were sent one at a time, so the last transactions of the log are exactly these commands, in order.
  expect(full.commits.length).toBeGreaterThanOrEqual(sent.length);
  const length = cutAt(full, bytes.length);
  expect((length - 32) % full.frameBytes).not.toBe(0); // mid-frame
  truncateSync(file, length);
  const torn = scanWal(readFileSync(file));
  const lost = full.commits.length - torn.commits.length;
  expect(torn.commits).toEqual(full.commits.slice(0, torn.commits.length));
  expect(lost).toBeGreaterThan(0);
  return { kept: sent.slice(0, sent.length - lost), lost: sent.slice(sent.length - lost) };
}

interface LogEvent {
  position: number;
  type: string;
  data: Record<string, string>;
  metadata: { commandId: string };
}

async function readLog(api: ReturnType<typeof client>): Promise<LogEvent[]> {
  const answer = await api.get('/events?after=0&limit=1000');
  expect(answer.status).toBe(200);
  expect(answer.body.next).toBeNull();
  return answer.body.events;
}

/** The command ids of a log, in order, once per command. */
const commandIds = (log: LogEvent[]) => log.map((e) => e.metadata.commandId).filter((id, i, all) => id !== all[i - 1]);

/**
 * Restarts on the torn files and checks: the log is exactly the surviving
 * commands, gap-free; new appends and retries work; after a clean stop the
 * file passes integrity_check and the read models equal a from-scratch projection.
 */
async function restartAndVerify(dir: string, kept: Sent[], lost: Sent[]): Promise<HaitangProcess> {
  removeReadModels(dir);
  const app = await startHaitang(dir);
  const api = client(app.baseUrl, app.token);
  const head = kept.at(-1)!.position;
  const log = await readLog(api);
  expect(log.map((e) => e.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  expect(commandIds(log)).toEqual(kept.map((s) => s.key));
  expect((await api.call('GET', '/health')).body.details.eventStore.headPosition).toBe(head);

  // A surviving command is answered from its receipt; a lost one was never recorded, so its retry records it once.
  const replay = await api.post(kept.at(-1)!.path, kept.at(-1)!.body, { 'idempotency-key': kept.at(-1)!.key });
  expect({ status: replay.status, replayed: replay.headers.get('idempotent-replayed'), position: replay.body.position })
    .toEqual({ status: 201, replayed: 'true', position: head });
  let position = head;
  for (const s of lost) {
    const retry = await api.post(s.path, s.body, { 'idempotency-key': s.key });
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), position: retry.body.position })
      .toEqual({ status: 201, replayed: null, position: ++position });
  }
  const after = await readLog(api);
  expect(after.map((e) => e.position)).toEqual(Array.from({ length: position }, (_, i) => i + 1));
  expect(commandIds(after)).toEqual([...kept, ...lost].map((s) => s.key));
  const volunteer = log.find((e) => e.type === 'VolunteerRegistered.v1')!.data.volunteerId;
  expect((await api.get(`/volunteers/${volunteer}/hours?minPosition=${position}`)).status).toBe(200); // projected
  await app.stop();

  const { SqliteEventStore } = dist('event-store');
  const { openReadModels, SqliteProjectionRunner, ALL_PROJECTIONS } = dist('read-store');
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
  const Database = require('better-sqlite3');
  const check = new Database(join(dir, 'events.sqlite'), { readonly: true });
  expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
  check.close();
  const events = await store.readAll(0, 1_000_000);
  expect(events.map((e: { position: number }) => e.position)).toEqual(Array.from({ length: position }, (_, i) => i + 1));
  const live = openReadModels(join(dir, 'readmodels.sqlite'));
  const scratch = openReadModels(join(dir, 'scratch.sqlite'));
  new SqliteProjectionRunner(scratch, store, ALL_PROJECTIONS, 0).applyBatch(events);
  expect(dumpReadModels(live)).toEqual(dumpReadModels(scratch));
  live.close();
  scratch.close();
  await store.close();
  return app;
}

describe('a torn last page: SQLite recovery keeps exactly the intact commits', () => {
  // Each case starts the app two or three times (each start signs in): generous on a busy machine, no timing asserted.
  jest.setTimeout(180_000);
  const dirs: string[] = [];
  const apps: HaitangProcess[] = [];
  const newDir = () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'haitang-torn-')));
    return dirs.at(-1)!;
  };
  const start = async (dir: string) => {
    apps.push(await startHaitang(dir));
    return apps.at(-1)!;
  };
  afterAll(async () => {
    for (const app of apps) await app.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9, then the last 1000 bytes of the -wal cut off: the torn last commit is discarded, all before it kept', async () => {
    const dir = newDir();
    const app = await start(dir);
    const sent: Sent[] = [];
    await writeLedger(client(app.baseUrl, app.token), 'a', 30, sent);
    await app.kill();
    const { kept, lost } = tearWal(dir, sent, (_, bytes) => bytes - 1000);
    expect(lost.map((s) => s.key)).toEqual(['a-record-29']); // 1000 bytes fall inside the last frame: the commit frame
    apps.push(await restartAndVerify(dir, kept, lost));
  });

  it('clean stop, more commands, kill -9, then the -wal cut inside a commit frame mid-log: everything checkpointed and every earlier commit kept', async () => {
    const dir = newDir();
    let app = await start(dir);
    const before: Sent[] = [];
    const ids = await writeLedger(client(app.baseUrl, app.token), 'b', 12, before);
    await app.stop();
    expect(existsSync(join(dir, 'events.sqlite-wal'))).toBe(false); // checkpointed into events.sqlite

    app = await start(dir);
    const sent: Sent[] = [];
    await writeLedger(client(app.baseUrl, app.token), 'b2', 20, sent, ids);
    await app.kill();
    // Tear the commit frame of the 8th-last transaction in the middle of its page; its other frames and the
    // 7 transactions after it are intact on disk, but recovery must stop at the torn frame.
    const { kept, lost } = tearWal(dir, sent, (wal) => frameOffset(wal, wal.commits.at(-8)!) + 24 + 2000);
    expect(lost.map((s) => s.key)).toEqual(sent.slice(-8).map((s) => s.key));
    apps.push(await restartAndVerify(dir, [...before, ...kept], lost));
  });

  it('clean stop, then events.sqlite itself cut short: Haitang refuses to open it and changes nothing; the backup opens again', async () => {
    const dir = newDir();
    const file = join(dir, 'events.sqlite');
    const { SqliteEventStore } = dist('event-store');
    const open = () => new SqliteEventStore({ file, writerThread: false });
    const store = open();
    for (let i = 0; i < 40; i++) {
      await store.append([{
        streamId: `record-${i}`, expectedVersion: -1,
        events: [{ eventId: randomUUID(), type: 'Written.v1', data: { i, text: '垃圾分类督导'.repeat(i * 7) }, metadata: {} }],
      }]);
    }
    await store.close(); // the last connection: checkpoints the -wal into events.sqlite and deletes it
    expect(existsSync(`${file}-wal`)).toBe(false);
    const backup = join(dir, 'backup.sqlite');
    copyFileSync(file, backup);
    const size = statSync(file).size;
    const pageSize = readFileSync(file).readUInt16BE(16);
    expect(size % pageSize).toBe(0);

    // Mid-page, as the brief's torn page: the whole app refuses to start.
    truncateSync(file, size - 1000);
    let damaged = readFileSync(file);
    const refusal = await startHaitang(dir).then((started) => {
      apps.push(started);
      return new Error('Haitang started on a cut-off events file');
    }, (error: Error) => error);
    expect(refusal.message).toMatch(/Haitang exited with 1/);
    expect(refusal.message).toMatch(/events\.sqlite is damaged: it is \d+ bytes, not a whole number of 4096-byte pages/);
    expect(refusal.message).toMatch(/restore events\.sqlite from a backup/);
    expect(readFileSync(file).equals(damaged)).toBe(true);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);

    // By a whole page: the same check (every connection to the events file goes through it) refuses.
    copyFileSync(backup, file);
    truncateSync(file, size - pageSize);
    damaged = readFileSync(file);
    expect(open).toThrow(/events\.sqlite is damaged: it is \d+ bytes, shorter than the \d+ pages of 4096 bytes its header records/);
    expect(readFileSync(file).equals(damaged)).toBe(true);

    // The backup is whole: it opens, passes integrity_check and holds every event.
    copyFileSync(backup, file);
    const restored = open();
    expect((await restored.readAll(0, 1000)).map((e: { position: number }) => e.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await restored.close();
    const Database = require('better-sqlite3');
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
