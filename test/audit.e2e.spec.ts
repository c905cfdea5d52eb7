import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, signIn, startHaitang } from './support/haitang-process';

const PASSWORD = 'audit-test-password';
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

interface Entry {
  position: number; streamId: string; type: string; recordedAt: string;
  actor: { id: string; role: string; username?: string; displayName?: string } | null;
  commandId: string; data: Record<string, unknown>;
}

/**
 * The audit view over real HTTP: who did what to which record, filtered by
 * unit, record, actor and time, paged, and scoped like every other read.
 */
describe('audit view: who did what to which record, from the log', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: ReturnType<typeof client>;
  let staffA: ReturnType<typeof client>;
  let staffB: ReturnType<typeof client>;
  let official: ReturnType<typeof client>;
  let position = 0;
  const ids: Record<string, string> = {};

  const must = async (answer: Promise<{ status: number; body: any }>) => {
    const a = await answer;
    if (a.status >= 300) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    position = Math.max(position, a.body.position ?? 0);
    return a.body;
  };
  const audit = async (who: ReturnType<typeof client>, query: string) => {
    const a = await who.get(`/audit?${query}&minPosition=${position}`);
    return { status: a.status, body: a.body as { entries: Entry[]; next: number | null } };
  };
  const trail = async (who: ReturnType<typeof client>, query: string) => {
    const a = await audit(who, query);
    expect([query, a.status]).toEqual([query, 200]);
    return a.body.entries;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-audit-'));
    app = await startHaitang(dir);
    admin = client(app.baseUrl, app.token);
    ids.district = (await must(admin.post('/org-units', { kind: 'district', name: '姑苏区' }))).id;
    ids.street = (await must(admin.post('/org-units', { kind: 'street', name: '金阊街道', parentId: ids.district }))).id;
    ids.a = (await must(admin.post('/org-units', { kind: 'community', name: '桃花坞社区', parentId: ids.street }))).id;
    ids.other = (await must(admin.post('/org-units', { kind: 'district', name: '相城区' }))).id;
    ids.town = (await must(admin.post('/org-units', { kind: 'town', name: '望亭镇', parentId: ids.other }))).id;
    ids.b = (await must(admin.post('/org-units', { kind: 'community', name: '御亭社区', parentId: ids.town }))).id;
    for (const [username, role, orgUnitId] of [['staff-a', 'staff', ids.a], ['staff-b', 'staff', ids.b], ['official-d', 'official', ids.district]]) {
      ids[username] = (await must(admin.post('/accounts', { username, role, orgUnitId, password: PASSWORD, displayName: `${username}的名字` }))).account.id;
    }
    staffA = client(app.baseUrl, await signIn(app.baseUrl, 'staff-a', PASSWORD));
    staffB = client(app.baseUrl, await signIn(app.baseUrl, 'staff-b', PASSWORD));
    official = client(app.baseUrl, await signIn(app.baseUrl, 'official-d', PASSWORD));

    // In 桃花坞社区: a volunteer (with a phone number), a record, its correction; a self-report by the volunteer's own account.
    ids.volunteer = (await must(staffA.post('/volunteers', { homeOrgUnitId: ids.a, displayName: '俞阿姨', phone: '13800138000' }))).id;
    ids.record = (await must(staffA.post('/service-records', { volunteerId: ids.volunteer, orgUnitId: ids.a, category: 'other', serviceDate: shanghaiDay(Date.now() - 86_400_000), minutes: 60, description: '整理议事会记录' }))).id;
    await must(staffA.post(`/service-records/${ids.record}/amendments`, { minutes: 45, reason: '按签到表更正' }));
    ids.volunteerAccount = (await must(staffA.post('/accounts', { username: '13800138000', role: 'volunteer', volunteerId: ids.volunteer, password: PASSWORD }))).account.id;
    const self = client(app.baseUrl, await signIn(app.baseUrl, '13800138000', PASSWORD));
    ids.report = (await must(self.post(`/volunteers/${ids.volunteer}/service-reports`, { orgUnitId: ids.a, category: 'errand-escort', serviceDate: shanghaiDay(Date.now()), minutes: 30, description: '帮邻居取药' }))).id;
    await must(admin.post(`/org-units/${ids.a}/renaming`, { name: '桃花坞社区（新）' }));
    // In 御亭社区, elsewhere.
    ids.volunteerB = (await must(staffB.post('/volunteers', { homeOrgUnitId: ids.b, displayName: '老王' }))).id;
    ids.recordB = (await must(staffB.post('/service-records', { volunteerId: ids.volunteerB, orgUnitId: ids.b, category: 'other', serviceDate: shanghaiDay(Date.now()), minutes: 20, description: '巡查' }))).id;
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows one record’s history with who did each step and why', async () => {
    const history = await trail(staffA, `recordId=${ids.record}`);
    expect(history.map((e) => [e.type, e.actor?.id, e.actor?.username, e.actor?.role])).toEqual([
      ['ServiceRecorded.v1', ids['staff-a'], 'staff-a', 'staff'],
      ['ServiceAmended.v1', ids['staff-a'], 'staff-a', 'staff'],
    ]);
    expect(history[1].data).toMatchObject({ minutes: 45, reason: '按签到表更正' });
    expect(history[1].actor?.displayName).toBe('staff-a的名字');
    expect(await trail(staffA, `streamId=record-${ids.record}`)).toEqual(history);
    // The volunteer the entries mention is named (by the read models), and only she.
    const answer = await audit(staffA, `recordId=${ids.record}`);
    expect((answer.body as unknown as { names: Record<string, string> }).names).toEqual({ [ids.volunteer]: '俞阿姨' });
  });

  it('lists what happened in a unit’s subtree, and nothing from elsewhere', async () => {
    const inA = await trail(staffA, `orgUnitId=${ids.a}`);
    const streams = new Set(inA.map((e) => e.streamId));
    expect(streams).toEqual(new Set([`orgunit-${ids.a}`, `volunteer-${ids.volunteer}`, `record-${ids.record}`, `record-${ids.report}`]));
    expect(inA.map((e) => e.position)).toEqual([...inA.map((e) => e.position)].sort((x, y) => x - y));
    const district = await trail(official, `orgUnitId=${ids.district}`);
    expect(district.length).toBe(inA.length + 2); // + the district's and the street's registrations
    expect(district.some((e) => e.streamId.includes(ids.recordB) || e.streamId.includes(ids.volunteerB))).toBe(false);
    expect((await trail(admin, 'limit=500')).some((e) => e.streamId === `record-${ids.recordB}`)).toBe(true);
  });

  it('filters by actor (username or account id) and by day', async () => {
    const byName = await trail(admin, 'actor=staff-a');
    expect(byName.map((e) => e.type)).toEqual(['VolunteerRegistered.v1', 'ServiceRecorded.v1', 'ServiceAmended.v1']);
    expect(await trail(admin, `actor=${ids['staff-a']}`)).toEqual(byName);
    expect((await trail(staffA, `orgUnitId=${ids.a}&actor=staff-b`))).toEqual([]);
    const today = shanghaiDay(Date.now());
    const tomorrow = shanghaiDay(Date.now() + 86_400_000);
    expect((await trail(staffA, `orgUnitId=${ids.a}&from=${today}&to=${today}`)).length).toBe((await trail(staffA, `orgUnitId=${ids.a}`)).length);
    expect(await trail(staffA, `orgUnitId=${ids.a}&from=${tomorrow}`)).toEqual([]);
    const bad = await audit(admin, 'from=2026-02-30');
    expect([bad.status, (bad.body as unknown as { code: string }).code]).toEqual([400, 'from-invalid']);
  });

  it('filters by kind of event: the corrections of a unit, nothing else, and none of another unit', async () => {
    const amended = await trail(staffA, `orgUnitId=${ids.a}&type=ServiceAmended.v1`);
    expect(amended.map((e) => [e.type, e.streamId])).toEqual([['ServiceAmended.v1', `record-${ids.record}`]]);
    const all = await trail(admin, 'limit=500');
    expect(await trail(admin, 'type=ServiceRecorded.v1&limit=500')).toEqual(all.filter((e) => e.type === 'ServiceRecorded.v1'));
    expect(await trail(staffB, `orgUnitId=${ids.b}&type=ServiceAmended.v1`)).toEqual([]);
    // A kind of event is no way around the scope: another unit's corrections are refused like anything of it.
    expect((await audit(staffB, `orgUnitId=${ids.a}&type=ServiceAmended.v1`)).status).toBe(403);
    expect(await trail(admin, 'type=NeverHappened.v1')).toEqual([]);
    const bad = await audit(admin, 'type=ServiceAmended');
    expect([bad.status, (bad.body as unknown as { errors: { field: string; message: string }[] }).errors]).toEqual([400, [
      { field: 'type', message: '应为事件类型，例如 ServiceAmended.v1。(type must be an event type such as ServiceAmended.v1.)' },
    ]]);
  });

  it('pages through the trail in log order', async () => {
    const all = await trail(admin, 'limit=500');
    const pages: Entry[] = [];
    let after = 0;
    for (let guard = 0; guard < 50; guard++) {
      const page = await audit(admin, `limit=3&after=${after}`);
      pages.push(...page.body.entries);
      if (page.body.next === null) break;
      after = page.body.next;
    }
    expect(pages).toEqual(all);
    expect(all.length).toBe(position);
  });

  it('pages through the trail newest first, as the console shows it, also within a unit and a time range', async () => {
    for (const [who, filter] of [[admin, ''], [staffA, `orgUnitId=${ids.a}`], [official, `orgUnitId=${ids.district}&from=${shanghaiDay(Date.now() - 86_400_000)}`]] as const) {
      const all = await trail(who, `${filter}&limit=500`);
      expect(all.length).toBeGreaterThan(3);
      const pages: Entry[] = [];
      let before: number | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const page = await audit(who, `${filter}&order=desc&limit=3${before === null ? '' : `&before=${before}`}`);
        expect(page.status).toBe(200);
        pages.push(...page.body.entries);
        if (page.body.next === null) break;
        before = page.body.next;
      }
      expect(pages).toEqual([...all].reverse());
    }
    const bad = await audit(admin, 'order=newest');
    expect([bad.status, (bad.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)]).toEqual([400, ['order']]);
  });

  it('never shows personal data, and an erased volunteer’s account stays an opaque id', async () => {
    const registered = (await trail(staffA, `streamId=volunteer-${ids.volunteer}`))[0];
    expect(registered.data).toMatchObject({ displayName: '俞阿姨', personalDataSealed: true });
    expect(registered.data).not.toHaveProperty('personalData');
    await must(staffA.call('DELETE', `/api/v1/volunteers/${ids.volunteer}/personal-data`, {}, { 'idempotency-key': 'erase-audit' }));
    const report = (await trail(staffA, `recordId=${ids.report}`))[0];
    expect(report.actor).toEqual({ id: ids.volunteerAccount, role: 'volunteer', orgUnitId: null, volunteerId: ids.volunteer });
    const everything = JSON.stringify(await trail(admin, 'limit=500'));
    expect(everything).not.toContain('13800138000');
  });

  it('is scoped like everything else: another unit’s record is refused like an unknown one, and no filter is admin only', async () => {
    const foreign = await audit(staffB, `recordId=${ids.record}`);
    const unknown = await audit(staffB, 'recordId=no-such-record');
    expect([foreign.status, unknown.status]).toEqual([403, 403]);
    expect({ ...foreign.body, instance: null }).toEqual({ ...unknown.body, instance: null });
    expect((await audit(official, `orgUnitId=${ids.other}`)).status).toBe(403);
    expect((await audit(staffA, `orgUnitId=${ids.district}`)).status).toBe(403);
    expect((await audit(staffA, 'actor=staff-a')).status).toBe(403);
    expect((await audit(staffA, `orgUnitId=${ids.a}&recordId=${ids.recordB}`)).status).toBe(403);
  });
});
