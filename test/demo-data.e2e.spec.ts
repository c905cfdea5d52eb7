import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedEvent, SqliteEventStore } from '@haitang/event-store';
import { DEMO_UNITS, demoPersonalData } from '../apps/haitang/src/demo/seed-story';
import { ROOT, requireBuild } from './support/built';
import { client, type HaitangProcess, signIn, startHaitang } from './support/haitang-process';

const PASSWORD = '[a-z2-9]{4}(?:-[a-z2-9]{4}){3}';
/** The password printed for an account, in the demo's account list or in a framed notice. */
function printedPassword(stdout: string, username: string): string {
  const listed = new RegExp(`^\\s+${username.replace(/[.-]/g, '\\$&')}\\s+(${PASSWORD})\\s`, 'm').exec(stdout);
  const framed = new RegExp(`username: ${username}\\s+password: (${PASSWORD})`).exec(stdout);
  const found = listed?.[1] ?? framed?.[1];
  if (!found) throw new Error(`no password printed for ${username} in:\n${stdout}`);
  return found;
}

const CLI = join(ROOT, 'dist', 'apps', 'haitang', 'src', 'cli.js');

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the built CLI in its own process, as `npm run demo` does. */
function cli(args: string[], dataDir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, HAITANG_DATA_DIR: dataDir, NO_COLOR: '1' };
  delete env.HAITANG_MASTER_KEY;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function readLog(dataDir: string): Promise<{ events: RecordedEvent[]; head: number }> {
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  try {
    return { events: await store.readAll(0, 1_000_000), head: await store.headPosition() };
  } finally {
    await store.close();
  }
}

const ofType = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type);
const dataOf = <T>(event: RecordedEvent | undefined) => event?.data as T;

describe('cli demo: the seed story as demo data (built code, own process)', () => {
  let dir: string;
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'haitang-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an unknown sub-command prints the usage and exits 1, touching nothing', async () => {
    const run = await cli(['seed-everything'], join(dir, 'unused'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Usage:');
    expect(run.stderr).toContain('demo');
    expect(readdirSync(dir)).not.toContain('unused');
  });

  let firstHead = 0;
  const passwords: Record<string, string> = {};

  it('loads the units, teams, volunteers, activities and records of the seed story', async () => {
    const run = await cli(['demo'], dir);
    expect(run.stderr).not.toMatch(/ERROR|refused/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/org units\s+17/);
    expect(run.stdout).toMatch(/log position\s+\d+/);
    // The first admin (no HAITANG_ADMIN_USER here) and one account per role, each with a random password printed once.
    for (const username of ['admin', 'taohuawu-staff', 'gusu-official', 'volunteer-v001']) passwords[username] = printedPassword(run.stdout, username);
    expect(new Set(Object.values(passwords)).size).toBe(4);

    const { events, head } = await readLog(dir);
    firstHead = head;
    expect(head).toBe(events.length);

    const units = ofType(events, 'OrgUnitRegistered.v1').map((e) => dataOf<{ orgUnitId: string; name: string; parentId: string | null }>(e));
    expect(units).toHaveLength(17);
    expect(units).toHaveLength(DEMO_UNITS.length);
    expect(units).toEqual(expect.arrayContaining([
      expect.objectContaining({ orgUnitId: 'gusu', name: '姑苏区', parentId: null }),
      expect.objectContaining({ orgUnitId: 'taohuawu', name: '桃花坞社区', parentId: 'jinchang' }),
      expect.objectContaining({ orgUnitId: 'maojiaqiao', name: '毛家桥社区', parentId: 'jinchang' }),
      expect.objectContaining({ orgUnitId: 'fuyuan', name: '富元社区', parentId: 'yuanhe' }),
      expect.objectContaining({ orgUnitId: 'qingyuanjiayuan', name: '庆元家园社区', parentId: 'yuanhe' }),
      expect.objectContaining({ orgUnitId: 'wangting', name: '望亭镇', parentId: 'xiangcheng' }),
      expect.objectContaining({ orgUnitId: 'huangdai', name: '黄埭镇', parentId: 'xiangcheng' }),
    ]));
    expect(ofType(events, 'TeamFormed.v1').map((e) => dataOf<{ kind: string }>(e).kind))
      .toEqual(expect.arrayContaining(['red-engine', 'rider-team', 'party-alliance', 'service-team']));
    expect(ofType(events, 'VolunteerRegistered.v1').length).toBeGreaterThanOrEqual(40);

    expect(ofType(events, 'ActivityCompleted.v1').length).toBeGreaterThanOrEqual(15);
    expect(ofType(events, 'ActivityCancelled.v1').length).toBeGreaterThanOrEqual(1);
    expect(ofType(events, 'ServiceAmended.v1').length).toBeGreaterThanOrEqual(1);
    expect(ofType(events, 'ServiceRejected.v1').length).toBeGreaterThanOrEqual(1);
    expect(ofType(events, 'ServiceRevoked.v1').length).toBeGreaterThanOrEqual(1);
    const recorded = ofType(events, 'ServiceRecorded.v1').map((e) => dataOf<{ source: string; status: string }>(e));
    expect(recorded.filter((r) => r.source === 'self-report' && r.status === 'pending').length).toBeGreaterThanOrEqual(3);
    expect(recorded.some((r) => r.source === 'staff')).toBe(true);
    expect(recorded.some((r) => r.source === 'attendance')).toBe(true);

    // Attendance is clamped to the window, and a missed check-out is flagged, not credited.
    type Completed = { activityId: string; credited: { volunteerId: string; minutes: number }[]; notCredited: { volunteerId: string; reason: string }[] };
    const completed = (id: string) => dataOf<Completed>(ofType(events, 'ActivityCompleted.v1').find((e) => dataOf<Completed>(e).activityId === id));
    expect(completed('a-bees-training').credited).toContainEqual({ volunteerId: 'v-017', recordId: expect.any(String), minutes: 150 });
    expect(completed('a-rider-patrol-2').notCredited).toContainEqual({ volunteerId: 'v-014', reason: 'missed-check-out' });
    expect(completed('a-rider-patrol-2').credited.map((c) => c.volunteerId)).not.toContain('v-014');

    // Every event is the demo loader's, under its fixed command ids.
    for (const e of events) {
      const meta = e.metadata as { commandId: string; correlationId: string; actor: { id: string; role: string } };
      expect(meta.commandId).toMatch(/^demo:/);
      expect(meta.actor).toEqual({ id: 'demo-loader', role: 'system', orgUnitId: null });
    }
  });

  it('never stores the clear personal data it was given, in an event or anywhere in the data directory', async () => {
    const personal = demoPersonalData();
    expect(personal.length).toBeGreaterThanOrEqual(5);
    const phones = personal.map((p) => p.phone!);
    for (const phone of phones) expect(phone).toMatch(/^13\d{9}$/);

    const { events } = await readLog(dir);
    const sealed = ofType(events, 'VolunteerRegistered.v1').filter((e) => dataOf<{ personalData: string | null }>(e).personalData !== null);
    expect(sealed).toHaveLength(personal.length);
    const clear = personal.flatMap((p) => [p.phone!, p.idNumber!, p.realName!]);
    for (const e of events) {
      const text = JSON.stringify(e.data) + JSON.stringify(e.metadata);
      for (const value of clear) expect(text).not.toContain(value);
    }
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file));
      for (const value of clear) expect(bytes.includes(Buffer.from(value, 'utf8'))).toBe(false);
    }
  });

  it('running it a second time appends nothing', async () => {
    expect(firstHead).toBeGreaterThan(0);
    const run = await cli(['demo'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing new');
    expect(run.stdout).toMatch(/taohuawu-staff\s+\(created earlier: password unchanged/);
    expect(run.stdout).not.toMatch(new RegExp(PASSWORD));
    expect(run.stdout).toMatch(new RegExp(`log position\\s+${firstHead}\\b`));
    const { head } = await readLog(dir);
    expect(head).toBe(firstHead);
  });

  describe('the demo accounts, against the server on the demo data', () => {
    let app: HaitangProcess;
    beforeAll(async () => {
      app = await startHaitang(dir);
    });
    afterAll(async () => app?.stop());

    const as = async (username: string, password = passwords[username]) => client(app.baseUrl, await signIn(app.baseUrl, username, password));

    it('each sees its own part of the demo: staff their community, the official the district, the volunteer themselves', async () => {
      const staff = await as('taohuawu-staff');
      expect((await staff.get('/sessions/current')).body).toEqual({ id: expect.stringMatching(/^acct-/), username: 'taohuawu-staff', role: 'staff', orgUnitId: 'taohuawu', volunteerId: null, displayName: '桃花坞社区工作人员' });
      expect((await staff.get('/org-units/taohuawu')).status).toBe(200);
      expect((await staff.get('/volunteers/v-033/hours')).status).toBe(200);
      expect((await staff.get('/volunteers/v-001/hours')).status).toBe(403);
      expect((await staff.get('/org-units/gusu/dashboard?period=2026-10')).status).toBe(403);

      const official = await as('gusu-official');
      expect((await official.get('/org-units/gusu/dashboard?period=2026-10')).status).toBe(200);
      expect((await official.get('/volunteers/v-001/records')).status).toBe(200);
      expect((await official.get('/org-units/xiangcheng')).status).toBe(403);
      const head = (await (await as('admin')).get('/events?limit=1')).body.head;
      const write = await official.post('/org-units/gusu/renaming', { name: '姑苏' });
      expect([write.status, write.body.code]).toEqual([403, 'read-only-role']);

      const volunteer = await as('volunteer-v001');
      const hours = await volunteer.get('/volunteers/v-001/hours');
      expect([hours.status, hours.body.volunteerId]).toEqual([200, 'v-001']);
      expect((await volunteer.get('/volunteers/v-002/hours')).status).toBe(403);
      expect((await volunteer.get('/org-units/canglang/dashboard')).status).toBe(403);
      expect((await (await as('admin')).get('/events?limit=1')).body.head).toBe(head);
    });

    it('create-admin and reset-password print a new password once, also while the server runs', async () => {
      const created = await cli(['create-admin', 'zhang.wei'], dir);
      expect(created.code).toBe(0);
      const first = printedPassword(created.stdout, 'zhang.wei');
      expect((await (await as('zhang.wei', first)).get('/sessions/current')).body.role).toBe('admin');

      const again = await cli(['create-admin', 'Zhang.Wei'], dir);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('taken');

      const reset = await cli(['reset-password', 'zhang.wei'], dir);
      expect(reset.code).toBe(0);
      const second = printedPassword(reset.stdout, 'zhang.wei');
      expect(second).not.toBe(first);
      await expect(signIn(app.baseUrl, 'zhang.wei', first)).rejects.toThrow(/401/);
      expect(await signIn(app.baseUrl, 'zhang.wei', second)).toEqual(expect.any(String));

      expect((await cli(['reset-password', 'nobody'], dir)).code).toBe(1);

      // An admin disabled by another is enabled again from the command line, while the server runs.
      expect((await (await as('admin')).post('/accounts/zhang.wei/disabling')).status).toBe(200);
      const refused = await client(app.baseUrl).post('/sessions', { username: 'zhang.wei', password: second });
      expect([refused.status, refused.body.code]).toEqual([401, 'account-disabled']);
      const enabled = await cli(['enable', 'zhang.wei'], dir);
      expect([enabled.code, enabled.stdout]).toEqual([0, expect.stringContaining('enabled')]);
      expect(await signIn(app.baseUrl, 'zhang.wei', second)).toEqual(expect.any(String));
      expect((await cli(['enable', 'nobody'], dir)).code).toBe(1);
    });
  });
});
