import { hkdfSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCheckInCode } from '../apps/ledger/src/check-in-codes/check-in-code';
import { client, type HaitangProcess, signIn, startHaitang } from './support/haitang-process';

/**
 * The routes the web console added, over real HTTP against the built app:
 * check-in codes and self check-in (signed, expiring, bound to the activity
 * and its window), spreadsheet imports (preview appends nothing; commit is
 * all or nothing, idempotent, never counts a row twice, never outside the
 * caller's units) and the lists a community works through.
 */

const MIN = 60_000;
const PASSWORD = 'web-console-password-1';
const iso = (ms: number) => new Date(ms).toISOString();
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const sheet = (rows: string[]) => Buffer.from(['志愿者编号,服务日期,服务类别,服务时长（分钟）,服务内容,组织单位编号', ...rows].join('\n')).toString('base64');

describe('web console routes: check-in codes, imports, unit lists (built app, real HTTP)', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  let volunteer: ReturnType<typeof client>;
  const ids: Record<string, string> = {};
  const head = async () => (await admin.get('/events?limit=1')).body.head as number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-console-api-'));
    app = await startHaitang(dir);
    admin = client(app.baseUrl, app.token);
    const make = async (path: string, body: unknown) => {
      const r = await admin.post(path, body);
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    const now = Date.now();
    ids.district = await make('/org-units', { kind: 'district', name: '姑苏区' });
    ids.street = await make('/org-units', { kind: 'street', name: '金阊街道', parentId: ids.district });
    ids.community = await make('/org-units', { kind: 'community', name: '桃花坞社区', parentId: ids.street });
    ids.other = await make('/org-units', { kind: 'community', name: '毛家桥社区', parentId: ids.street });
    ids.volunteer = await make('/volunteers', { homeOrgUnitId: ids.community, displayName: '俞阿姨' });
    ids.neighbour = await make('/volunteers', { homeOrgUnitId: ids.other, displayName: '金叔叔' });
    ids.open = await make('/activities', { orgUnitId: ids.community, title: '玩转智能手机', category: 'digital-inclusion', location: '活动室', startsAt: iso(now - 30 * MIN), endsAt: iso(now + 90 * MIN) });
    ids.later = await make('/activities', { orgUnitId: ids.community, title: '反诈宣传', category: 'anti-fraud', location: '广场', startsAt: iso(now + 26 * 60 * MIN), endsAt: iso(now + 27 * 60 * MIN) });
    ids.foreign = await make('/activities', { orgUnitId: ids.other, title: '安全巡查', category: 'safety-patrol', location: '小区', startsAt: iso(now - 30 * MIN), endsAt: iso(now + 90 * MIN) });
    for (const account of [
      { username: 'staff-taohuawu', role: 'staff', orgUnitId: ids.community, password: PASSWORD },
      { username: 'yu-ayi', role: 'volunteer', volunteerId: ids.volunteer, password: PASSWORD },
    ]) expect((await admin.post('/accounts', account)).status).toBe(201);
    staff = client(app.baseUrl, await signIn(app.baseUrl, 'staff-taohuawu', PASSWORD));
    volunteer = client(app.baseUrl, await signIn(app.baseUrl, 'yu-ayi', PASSWORD));
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('check-in codes', () => {
    it('staff get a code for their activity, valid from an hour before the start until the end (or sooner)', async () => {
      const r = await staff.post(`/activities/${ids.open}/check-in-codes`, { validMinutes: 15 });
      expect(r.status).toBe(200);
      expect(r.body.path).toBe(`/check-in/${ids.open}?code=${encodeURIComponent(r.body.code)}`);
      const activity = (await admin.get(`/activities/${ids.open}?minPosition=${await head()}`)).body;
      expect(r.body.notBefore).toBe(iso(Date.parse(activity.startsAt) - 60 * MIN));
      expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(14 * MIN);
      expect(Date.parse(r.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * MIN);
      expect((await staff.post(`/activities/${ids.open}/check-in-codes`, {})).body.expiresAt).toBe(activity.endsAt);
      ids.code = r.body.code;
      // Not for another community's activity, nor for a volunteer.
      expect((await staff.post(`/activities/${ids.foreign}/check-in-codes`, {})).status).toBe(403);
      expect((await volunteer.post(`/activities/${ids.open}/check-in-codes`, {})).status).toBe(403);
    });

    it('checks in the signed-in volunteer, once, and refuses forged, foreign, early and expired codes without recording anything', async () => {
      const before = await head();
      const refuse = async (activityId: string, code: string, status: number, problem: string) => {
        const r = await volunteer.post(`/activities/${activityId}/self-check-ins`, { code });
        expect([r.status, r.body.code, r.body.errors?.[0]?.field]).toEqual([status, problem, 'code']);
      };
      const [payload, signature] = ids.code.split('.');
      // One character in the middle changed: all six of its bits are signature (the last character's low bits are only padding).
      const forged = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
      await refuse(ids.open, `${payload}.${forged}`, 422, 'check-in-code-invalid');
      await refuse(ids.foreign, ids.code, 422, 'check-in-code-invalid');
      const early = (await staff.post(`/activities/${ids.later}/check-in-codes`, {})).body.code;
      await refuse(ids.later, early, 422, 'check-in-not-open');
      // A code the server signed but whose time is up (made here with the key the server derives from its master key).
      const key = Buffer.from(hkdfSync('sha256', Buffer.from(readFileSync(join(dir, 'master.key'), 'utf8').trim(), 'base64'), 'haitang', 'check-in codes v1', 32));
      const expired = signCheckInCode(key, { activityId: ids.open, notBefore: Date.now() - 60 * MIN, expiresAt: Date.now() - MIN });
      await refuse(ids.open, expired, 422, 'check-in-code-expired');
      const stillValid = signCheckInCode(key, { activityId: ids.open, notBefore: Date.now() - 60 * MIN, expiresAt: Date.now() + MIN });
      expect(await head()).toBe(before);
      // Admin is no volunteer: nothing to check in.
      expect((await admin.post(`/activities/${ids.open}/self-check-ins`, { code: ids.code })).body.code).toBe('volunteer-account-required');

      const done = await volunteer.post(`/activities/${ids.open}/self-check-ins`, { code: stillValid }, { 'idempotency-key': 'scan-1' });
      expect([done.status, done.body.volunteerId]).toEqual([200, ids.volunteer]);
      const replay = await volunteer.post(`/activities/${ids.open}/self-check-ins`, { code: stillValid }, { 'idempotency-key': 'scan-1' });
      expect([replay.status, replay.body.position, replay.headers.get('idempotent-replayed')]).toEqual([200, done.body.position, 'true']);
      expect((await volunteer.post(`/activities/${ids.open}/self-check-ins`, { code: ids.code })).body.code).toBe('already-checked-in');
      const roster = (await staff.get(`/activities/${ids.open}?minPosition=${done.body.position}`)).body.roster;
      expect(roster).toEqual([expect.objectContaining({ volunteerId: ids.volunteer, walkIn: true, attendance: 'checked-in' })]);
      const event = (await admin.get(`/streams/activity-${ids.open}`)).body.events.at(-1);
      expect([event.type, event.metadata.actor]).toEqual(['VolunteerCheckedIn.v1', expect.objectContaining({ role: 'volunteer', volunteerId: ids.volunteer })]);
    });
  });

  describe('imports', () => {
    const yesterday = shanghaiDay(Date.now() - 86_400_000);

    it('previews every row through the domain and appends nothing', async () => {
      const before = await head();
      const r = await staff.post('/service-records/imports/preview', {
        orgUnitId: ids.community, fileName: '十月.csv',
        content: sheet([`${ids.volunteer},${yesterday},垃圾分类,90,桶边督导,`, `${ids.volunteer},${yesterday},其他,abc,整理,`, `nobody,${yesterday},其他,30,帮忙,`,
          `${ids.volunteer},2099-01-01,其他,30,未来,`, `${ids.neighbour},${yesterday},其他,30,巡查,${ids.other}`]),
      });
      expect(r.status).toBe(200);
      expect([r.body.total, r.body.valid, r.body.invalid, r.body.totalMinutes]).toEqual([5, 1, 4, 90]);
      expect(r.body.rows.map((row: { row: number; errors: { field: string }[] }) => [row.row, row.errors.map((e) => e.field)])).toEqual([
        [2, []], [3, ['minutes']], [4, ['volunteerId']], [5, ['serviceDate']], [6, ['orgUnitId']],
      ]);
      expect(await head()).toBe(before);
    });

    it('commits all rows in one append, or none: refused as a whole when a row is wrong or outside the caller’s units', async () => {
      const before = await head();
      const bad = await staff.post('/service-records/imports', { orgUnitId: ids.community, fileName: 'a.csv', content: sheet([`${ids.volunteer},${yesterday},其他,30,整理,`, `${ids.neighbour},${yesterday},其他,30,巡查,${ids.other}`]) });
      expect([bad.status, bad.body.code, bad.body.errors.map((e: { field: string }) => e.field)]).toEqual([422, 'import-has-errors', ['rows[3].orgUnitId']]);
      expect(await head()).toBe(before);

      const content = sheet([`${ids.volunteer},${yesterday},垃圾分类,90,桶边督导,`, `${ids.volunteer},${yesterday},环境整治,45,清理楼道,`]);
      const done = await staff.post('/service-records/imports', { orgUnitId: ids.community, fileName: '十月.csv', content }, { 'idempotency-key': 'import-1' });
      expect([done.status, done.body.imported, done.body.totalMinutes]).toEqual([201, 2, 135]);
      expect(done.body.position).toBe(before + 2);
      const events = (await admin.get(`/events?after=${before}&limit=10`)).body.events;
      expect(events.map((e: { type: string; data: { source: string } }) => [e.type, e.data.source])).toEqual([['ServiceRecorded.v1', 'import'], ['ServiceRecorded.v1', 'import']]);

      const replay = await staff.post('/service-records/imports', { orgUnitId: ids.community, fileName: '十月.csv', content }, { 'idempotency-key': 'import-1' });
      expect([replay.status, replay.body.position, replay.headers.get('idempotent-replayed')]).toEqual([201, done.body.position, 'true']);
      const again = await staff.post('/service-records/imports', { orgUnitId: ids.community, fileName: '十月.csv', content }, { 'idempotency-key': 'import-2' });
      expect([again.status, again.body.errors.map((e: { field: string }) => e.field)]).toEqual([422, ['rows[2].row', 'rows[3].row']]);
      expect(await head()).toBe(done.body.position);
      const hours = (await volunteer.get(`/volunteers/${ids.volunteer}/hours?minPosition=${done.body.position}`)).body;
      expect(hours.byCategory).toMatchObject({ 'garbage-sorting': 90, environment: 45 });
    });

    it('refuses files it cannot read, and imports into another community, as a whole', async () => {
      const junk = await staff.post('/service-records/imports/preview', { orgUnitId: ids.community, fileName: 'a.xlsx', content: Buffer.from('not a workbook').toString('base64') });
      expect([junk.status, junk.body.code]).toEqual([422, 'import-unreadable']);
      const columns = await staff.post('/service-records/imports/preview', { orgUnitId: ids.community, fileName: 'a.csv', content: Buffer.from('姓名,电话\n俞阿姨,1\n').toString('base64') });
      expect([columns.status, columns.body.code]).toEqual([422, 'import-columns-missing']);
      expect((await staff.post('/service-records/imports/preview', { orgUnitId: ids.other, fileName: 'a.csv', content: sheet([]) })).status).toBe(403);
    });
  });

  describe('unit lists', () => {
    it('lists a community’s volunteers and its approval queue, to its staff only', async () => {
      const report = await volunteer.post(`/volunteers/${ids.volunteer}/service-reports`, { orgUnitId: ids.community, category: 'errand-escort', serviceDate: yesterday(), minutes: 45, description: '送独居老人复诊' });
      expect(report.status).toBe(201);
      const queue = await staff.get(`/org-units/${ids.community}/service-records?status=pending&minPosition=${report.body.position}`);
      expect(queue.body.records.map((r: { recordId: string; displayName: string }) => [r.recordId, r.displayName])).toEqual([[report.body.id, '俞阿姨']]);
      const people = await staff.get(`/org-units/${ids.community}/volunteers?q=俞`);
      expect(people.body.volunteers.map((v: { volunteerId: string }) => v.volunteerId)).toEqual([ids.volunteer]);
      expect((await staff.get(`/org-units/${ids.other}/volunteers`)).status).toBe(403);
      expect((await staff.get(`/org-units/${ids.other}/service-records`)).status).toBe(403);
      expect((await volunteer.get(`/org-units/${ids.community}/service-records`)).status).toBe(403);
    });
  });
});

function yesterday(): string {
  return shanghaiDay(Date.now() - 86_400_000);
}
