import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, startHaitang, TEST_ADMIN } from './support/haitang-process';
import { answerSchemas, type AnswerSchemas } from './support/openapi-answers';
import { STORAGE_BACKENDS } from './support/storage-backends';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The seed story over real HTTP against the standalone process:
 * a 玩转智能手机 class at 庆元家园社区, a 红引擎 escort to hospital, an amendment,
 * then a restart that must find everything still there. Every answer is
 * checked against the OpenAPI document's schema for its route (as in
 * api-answers.e2e.spec.ts).
 */
describe.each(STORAGE_BACKENDS)('standalone ledger: the seed story over HTTP ($name)', (backend) => {
  let dir: string;
  let env: Record<string, string>;
  let app: HaitangProcess;
  let api: ReturnType<typeof client>;
  let schemas: AnswerSchemas;
  const checkedClient = () => client(app.baseUrl, app.token, { onAnswer: (method, path, answer) => schemas.check(method, path, answer) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-e2e-'));
    env = await backend.prepare();
    app = await startHaitang(dir, env);
    schemas = await answerSchemas(app.baseUrl);
    api = checkedClient();
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids: Record<string, string> = {};
  let key = 0;
  const post = (path: string, body: unknown = {}) => api.post(path, body, { 'idempotency-key': `seed-${++key}` });

  it('registers the hierarchy, a team and volunteers', async () => {
    const district = await post('/org-units', { kind: 'district', name: '相城区' });
    expect(district.status).toBe(201);
    expect(district.headers.get('location')).toBe(`/api/v1/org-units/${district.body.id}`);
    ids.district = district.body.id;
    ids.street = (await post('/org-units', { kind: 'street', name: '元和街道', parentId: ids.district })).body.id;
    const community = await post('/org-units', { kind: 'community', name: '庆元家园社区', parentId: ids.street });
    expect(community.status).toBe(201);
    ids.community = community.body.id;
    const canglang = await post('/org-units', { kind: 'street', name: '沧浪街道', parentId: ids.district });
    ids.canglang = canglang.body.id;

    const team = await post('/teams', { orgUnitId: ids.canglang, name: '红引擎志愿服务队', kind: 'red-engine' });
    expect(team.status).toBe(201);
    ids.team = team.body.id;

    ids.auntZhao = (await post('/volunteers', { homeOrgUnitId: ids.community, displayName: '赵阿姨', senior: true, partyMember: true, realName: '赵桂英', phone: '13812345678' })).body.id;
    ids.uncleYu = (await post('/volunteers', { homeOrgUnitId: ids.community, displayName: '俞叔叔', senior: true })).body.id;
    ids.xiaoLi = (await post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小李' })).body.id;
    const driver = await post('/volunteers', { homeOrgUnitId: ids.canglang, displayName: '王师傅', occupation: 'ride-hailing', partyMember: true });
    expect(driver.status).toBe(201);
    ids.driver = driver.body.id;
    expect((await post(`/teams/${ids.team}/members`, { volunteerId: ids.driver })).status).toBe(200);

    const stream = await api.get(`/streams/volunteer-${ids.auntZhao}`);
    expect(stream.body.events[0].type).toBe('VolunteerRegistered.v1');
    expect(JSON.stringify(stream.body)).not.toContain('13812345678');
    expect(JSON.stringify(stream.body)).not.toContain('赵桂英');
  });

  it('plans the class, enrolls, checks in and out, and completes it, crediting clamped minutes', async () => {
    const now = Date.now();
    const startsAt = now - 3 * 60 * MIN;
    const endsAt = now - 60 * MIN;
    const plan = await post('/activities', {
      orgUnitId: ids.community, title: '玩转智能手机', category: 'digital-inclusion', location: '庆元家园社区党群服务中心',
      startsAt: iso(startsAt), endsAt: iso(endsAt), capacity: 10, personInCharge: '高书记', description: '教老人用手机申请健康码、聊微信、识别诈骗电话',
    });
    expect(plan.status).toBe(201);
    ids.activity = plan.body.id;
    const a = `/activities/${ids.activity}`;
    expect((await post(`${a}/enrollments`, { volunteerId: ids.auntZhao })).status).toBe(200);
    expect((await post(`${a}/enrollments`, { volunteerId: ids.uncleYu })).status).toBe(200);
    // 赵阿姨 arrives 10 minutes early and leaves 20 minutes late: only the 120-minute window counts.
    expect((await post(`${a}/check-ins`, { volunteerId: ids.auntZhao, at: iso(startsAt - 10 * MIN) })).status).toBe(200);
    expect((await post(`${a}/check-outs`, { volunteerId: ids.auntZhao, at: iso(endsAt + 20 * MIN) })).status).toBe(200);
    // 俞叔叔 comes 30 minutes late and leaves 10 minutes early: 80 minutes.
    expect((await post(`${a}/check-ins`, { volunteerId: ids.uncleYu, at: iso(startsAt + 30 * MIN) })).status).toBe(200);
    expect((await post(`${a}/check-outs`, { volunteerId: ids.uncleYu, at: iso(endsAt - 10 * MIN) })).status).toBe(200);
    // 小李 walks in and forgets to check out: flagged, not credited.
    const walkIn = await post(`${a}/check-ins`, { volunteerId: ids.xiaoLi, at: iso(startsAt + 5 * MIN) });
    expect(walkIn.status).toBe(200);

    const completion = await post(`${a}/completion`, { beneficiaries: 35 });
    expect(completion.status).toBe(200);
    const credited = Object.fromEntries(completion.body.credited.map((c: { volunteerId: string; minutes: number }) => [c.volunteerId, c.minutes]));
    expect(credited).toEqual({ [ids.auntZhao]: 120, [ids.uncleYu]: 80 });
    expect(completion.body.notCredited).toEqual([{ volunteerId: ids.xiaoLi, reason: 'missed-check-out' }]);
    expect(completion.body.recordIds).toHaveLength(2);
    ids.zhaoRecord = completion.body.credited.find((c: { volunteerId: string }) => c.volunteerId === ids.auntZhao).recordId;
    ids.yuRecord = completion.body.credited.find((c: { volunteerId: string }) => c.volunteerId === ids.uncleYu).recordId;

    const record = await api.get(`/streams/record-${ids.zhaoRecord}`);
    expect(record.body.events[0]).toMatchObject({
      type: 'ServiceRecorded.v1',
      data: { volunteerId: ids.auntZhao, minutes: 120, status: 'approved', source: 'attendance', activityTitle: '玩转智能手机', category: 'digital-inclusion', personInCharge: '高书记' },
    });
    // Completion, records and the receipt are one commit: the answer's position is the last record's.
    expect(completion.body.position).toBe(Math.max(...(await Promise.all(
      completion.body.recordIds.map(async (id: string) => (await api.get(`/streams/record-${id}`)).body.events[0].position),
    ))));

    // Staff records the forgotten check-out by hand, once; a second attempt is refused.
    const manual = { volunteerId: ids.xiaoLi, orgUnitId: ids.community, category: 'digital-inclusion', serviceDate: new Date(startsAt + 8 * 3600_000).toISOString().slice(0, 10), minutes: 100, description: '忘记签退，按现场记录补录', activityId: ids.activity };
    const first = await post('/service-records', manual);
    expect(first.status).toBe(201);
    const second = await post('/service-records', manual);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('record-exists');
  });

  it('takes a 红引擎 driver’s self-report as pending and lets staff approve it', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const report = await post(`/volunteers/${ids.driver}/service-reports`, {
      orgUnitId: ids.canglang, category: 'errand-escort', serviceDate: today, minutes: 90, description: '送独居老人到医院复诊并陪同取药',
    });
    expect(report.status).toBe(201);
    ids.report = report.body.id;
    expect((await api.get(`/streams/record-${ids.report}`)).body.events[0].data.status).toBe('pending');
    const approval = await post(`/service-records/${ids.report}/approval`);
    expect(approval.status).toBe(200);
    expect((await api.get(`/streams/record-${ids.report}`)).body.events.map((e: { type: string }) => e.type)).toEqual(['ServiceRecorded.v1', 'ServiceApproved.v1']);
    const again = await post(`/service-records/${ids.report}/approval`);
    expect(again.status).toBe(409);
  });

  it('amends a record with a reason and keeps the whole history with the actor', async () => {
    const amend = await post(`/service-records/${ids.yuRecord}/amendments`, { minutes: 90, reason: '签退时手机没电，按负责人确认改为 90 分钟' });
    expect(amend.status).toBe(200);
    const history = (await api.get(`/streams/record-${ids.yuRecord}`)).body.events;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['ServiceRecorded.v1', 'ServiceAmended.v1']);
    expect(history[1].data).toMatchObject({ previousMinutes: 80, minutes: 90, reason: '签退时手机没电，按负责人确认改为 90 分钟' });
    const admin = (await api.get('/sessions/current')).body;
    expect(admin.username).toBe(TEST_ADMIN.username);
    expect(history[1].metadata).toMatchObject({ actor: { id: admin.id, role: 'admin', orgUnitId: null }, commandId: `seed-${key}` });
    expect(history[1].metadata.eventId).toBe(history[1].eventId);
  });

  it('answers a retried command with its first answer and appends nothing', async () => {
    const head = await api.head();
    const body = { minutes: 95, reason: '再次核对' };
    const first = await api.post(`/service-records/${ids.yuRecord}/amendments`, body, { 'idempotency-key': 'retry-me' });
    expect(first.status).toBe(200);
    const retry = await api.post(`/service-records/${ids.yuRecord}/amendments`, body, { 'idempotency-key': 'retry-me' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await api.post(`/service-records/${ids.yuRecord}/amendments`, { minutes: 100, reason: '另一个请求' }, { 'idempotency-key': 'retry-me' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency-key-reused');
    expect(await api.head()).toBe(head + 1);
  });

  it('appends once when the same request races itself', async () => {
    const head = await api.head();
    const body = { orgUnitId: ids.canglang, category: 'elder-rides', serviceDate: '2026-01-05', minutes: 40, description: '为高龄老人提供就近乘车服务' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.post(`/volunteers/${ids.driver}/service-reports`, body, { 'idempotency-key': 'racing' })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await api.head()).toBe(head + 1);
  });

  it('never credits twice when check-outs race', async () => {
    const now = Date.now();
    const plan = await post('/activities', { orgUnitId: ids.community, title: '反诈宣传', category: 'anti-fraud', location: '小区广场', startsAt: iso(now - 90 * MIN), endsAt: iso(now - 30 * MIN) });
    const a = `/activities/${plan.body.id}`;
    await post(`${a}/check-ins`, { volunteerId: ids.auntZhao, at: iso(now - 90 * MIN) });
    const outs = await Promise.all([45, 50, 55, 60].map((m) => api.post(`${a}/check-outs`, { volunteerId: ids.auntZhao, at: iso(now - 90 * MIN + m * MIN) })));
    expect(outs.map((o) => o.status).sort()).toEqual([200, 409, 409, 409]);
    const done = await post(`${a}/completion`);
    expect(done.body.credited).toHaveLength(1);
    expect((await post(`${a}/completion`)).status).toBe(409);
  });

  it('answers volunteer hours from the read side, waiting for the caller’s own write', async () => {
    const amend = await post(`/service-records/${ids.yuRecord}/amendments`, { minutes: 100, reason: '负责人再次确认' });
    const hours = await api.get(`/volunteers/${ids.uncleYu}/hours?minPosition=${amend.body.position}`);
    expect(hours.status).toBe(200);
    expect(hours.body).toMatchObject({ approvedMinutes: 100, pendingMinutes: 0, byCategory: { 'digital-inclusion': 100 }, starLevel: 0, nextStar: { level: 1, minutesToGo: 6000 - 100 } });
    expect(hours.body.projectedPosition).toBeGreaterThanOrEqual(amend.body.position);
    const driver = await api.get(`/volunteers/${ids.driver}/hours?minPosition=${amend.body.position}`);
    expect(driver.body).toMatchObject({ approvedMinutes: 90, pendingMinutes: 40, byCategory: { 'errand-escort': 90 } });
    const records = await api.get(`/volunteers/${ids.uncleYu}/records`);
    expect(records.body.records[0].history.map((h: { type: string }) => h.type)).toEqual(['ServiceRecorded.v1', 'ServiceAmended.v1', 'ServiceAmended.v1', 'ServiceAmended.v1']);
    expect((await api.get('/volunteers/nobody/hours')).status).toBe(404);
    expect((await api.get(`/volunteers/${ids.uncleYu}/hours?minPosition=abc`)).status).toBe(400);
  });

  it('erases a volunteer’s personal data on request, keeping their hours', async () => {
    const before = await api.get(`/volunteers/${ids.auntZhao}/hours`);
    const erase = await api.call('DELETE', `/api/v1/volunteers/${ids.auntZhao}/personal-data`, { reason: '本人申请注销' }, { 'idempotency-key': 'erase-zhao' });
    expect(erase.status).toBe(200);
    const events = (await api.get(`/streams/volunteer-${ids.auntZhao}`)).body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['VolunteerRegistered.v1', 'VolunteerPersonalDataErased.v1']);
    const again = await api.call('DELETE', `/api/v1/volunteers/${ids.auntZhao}/personal-data`, {}, { 'idempotency-key': 'erase-zhao-2' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already-erased');
    const after = await api.get(`/volunteers/${ids.auntZhao}/hours?minPosition=${erase.body.position}`);
    expect(after.body.approvedMinutes).toBe(before.body.approvedMinutes);
  });

  it('keeps everything, receipts included, across a restart of the process', async () => {
    const before = await api.get('/events?limit=1000');
    await app.stop();
    app = await startHaitang(dir, env);
    api = checkedClient();
    const after = await api.get('/events?limit=1000');
    expect(after.body.head).toBe(before.body.head);
    expect(after.body.events).toEqual(before.body.events);
    const retry = await api.post(`/service-records/${ids.yuRecord}/amendments`, { minutes: 95, reason: '再次核对' }, { 'idempotency-key': 'retry-me' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await api.head()).toBe(before.body.head);
    const zhao = await api.get(`/streams/record-${ids.zhaoRecord}`);
    expect(zhao.body.events[0].data.minutes).toBe(120);
    const hours = await api.get(`/volunteers/${ids.uncleYu}/hours?minPosition=${before.body.head}`);
    expect(hours.body.approvedMinutes).toBe(100);
  });
});
