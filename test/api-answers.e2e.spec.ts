import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, client, type HaitangProcess, signIn, startHaitang, TEST_ADMIN } from './support/haitang-process';
import { answerSchemas, type AnswerSchemas } from './support/openapi-answers';
import { STORAGE_BACKENDS } from './support/storage-backends';

/**
 * The OpenAPI document is honest about the answers (the web console's API
 * types are generated from it): over real HTTP against the built app, every
 * route is called (most in several states: null and non-null, empty and full)
 * and every answer, errors included, is checked against the response schema
 * the live /docs/openapi.json declares for its route, status and content
 * type. A documented field that is missing or of another type, a field the
 * document does not name, and a route without a documented answer all fail.
 */

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const PASSWORD = 'answers-password-1';
const iso = (ms: number) => new Date(ms).toISOString();
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const sheet = (rows: string[]) => Buffer.from(['志愿者编号,服务日期,服务类别,服务时长（分钟）,服务内容,组织单位编号', ...rows].join('\n')).toString('base64');

/** The answer, when its status is the one expected (the body says why not). */
function expectStatus<T>(answer: Answer<T>, status: number): Answer<T> {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

describe.each(STORAGE_BACKENDS)('the answers of every route match the OpenAPI document ($name)', (backend) => {
  let dir: string;
  let app: HaitangProcess;
  let schemas: AnswerSchemas;
  let admin: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  let volunteer: ReturnType<typeof client>;
  const ids: Record<string, string> = {};
  const checked = (token?: string) => client(app.baseUrl, token, { onAnswer: (method, path, answer) => schemas.check(method, path, answer) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-answers-'));
    app = await startHaitang(dir, await backend.prepare());
    schemas = await answerSchemas(app.baseUrl);
    admin = checked(app.token);
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('documents a success answer with a schema and the problem+json errors of every route', () => {
    const undocumented: string[] = [];
    for (const [path, item] of Object.entries(schemas.document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const responses = operation.responses ?? {};
        const successes = Object.entries(responses).filter(([status]) => status.startsWith('2'));
        if (successes.length === 0 || successes.some(([, r]) => !r.content || Object.values(r.content).some((c) => !c.schema))) {
          undocumented.push(`${method.toUpperCase()} ${path}: no success answer with a schema`);
        }
        if (responses.default?.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/ProblemDetails') {
          undocumented.push(`${method.toUpperCase()} ${path}: errors not documented as ProblemDetails`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect(schemas.operations().length).toBeGreaterThan(45);
  });

  it('answers sign-in, accounts, the hierarchy, teams and volunteers as documented', async () => {
    expectStatus(await admin.call('GET', '/health'), 200);
    expectStatus(await admin.call('GET', '/metrics'), 200);
    expectStatus(await checked().post('/sessions', TEST_ADMIN), 201);
    expectStatus(await admin.get('/sessions/current'), 200);
    expectStatus(await admin.get('/access/routes'), 200);

    ids.district = expectStatus(await admin.post('/org-units', { kind: 'district', name: '吴中区' }), 201).body.id;
    ids.street = expectStatus(await admin.post('/org-units', { kind: 'street', name: '长桥街道', parentId: ids.district }), 201).body.id;
    ids.community = expectStatus(await admin.post('/org-units', { kind: 'community', name: '新家社区', parentId: ids.street }), 201).body.id;
    ids.other = expectStatus(await admin.post('/org-units', { kind: 'community', name: '旺山社区', parentId: ids.street }), 201).body.id;
    expectStatus(await admin.post(`/org-units/${ids.community}/renaming`, { name: '新家家园社区' }), 200);

    ids.v1 = expectStatus(await admin.post('/volunteers', {
      homeOrgUnitId: ids.community, displayName: '沈阿姨', realName: '沈桂芳', phone: '13912345678', idNumber: '320506195501011234', partyMember: true, senior: true,
    }), 201).body.id;
    ids.v2 = expectStatus(await admin.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '陆师傅', occupation: 'courier' }), 201).body.id;
    ids.v3 = expectStatus(await admin.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小周' }), 201).body.id;

    ids.team = expectStatus(await admin.post('/teams', { orgUnitId: ids.community, name: '红引擎志愿服务队', kind: 'red-engine' }), 201).body.id;
    expectStatus(await admin.post(`/teams/${ids.team}/members`, { volunteerId: ids.v2 }), 200);
    expectStatus(await admin.post(`/teams/${ids.team}/members/${ids.v2}/leaving`, { reason: '搬家' }), 200);
    const joined = expectStatus(await admin.post(`/teams/${ids.team}/members`, { volunteerId: ids.v3 }), 200).body.position;
    // A member with a name and one who left (reason given), a formed team: nullable fields both ways.
    const team = expectStatus(await admin.get(`/teams/${ids.team}?minPosition=${joined}`), 200).body;
    expect(team.members.map((m: { displayName: string }) => m.displayName)).toEqual(['小周']);
    expect(team.history.map((h: { what: string; reason: string | null }) => [h.what, h.reason])).toEqual([['joined', null], ['left', '搬家'], ['joined', null], ['formed', null]]);
    expect(expectStatus(await admin.get(`/org-units/${ids.street}/teams?minPosition=${joined}`), 200).body.teams).toMatchObject([{ teamId: ids.team, memberCount: 1, orgUnitId: ids.community }]);
    expectStatus(await admin.get(`/teams/${ids.v1}`), 404);

    const staffAccount = expectStatus(await admin.post('/accounts', { username: 'xinjia-staff', role: 'staff', orgUnitId: ids.community }), 201).body;
    expect(typeof staffAccount.password).toBe('string');
    const volunteerAccount = expectStatus(await admin.post('/accounts', { username: 'shen-ayi', role: 'volunteer', volunteerId: ids.v1, password: PASSWORD }), 201).body;
    expect(volunteerAccount.password).toBeUndefined();
    staff = checked(await signIn(app.baseUrl, 'xinjia-staff', staffAccount.password));
    volunteer = checked(await signIn(app.baseUrl, 'shen-ayi', PASSWORD));
    // Signing out (a token of its own): answered, then that token is refused.
    const leaving = checked(await signIn(app.baseUrl, 'shen-ayi', PASSWORD));
    expect(expectStatus(await leaving.call('DELETE', '/api/v1/sessions/current'), 200).body.signedOut).toBe(true);
    expect(expectStatus(await leaving.get('/sessions/current'), 401).body.code).toBe('token-signed-out');
    expectStatus(await admin.get('/accounts'), 200);
    expectStatus(await staff.get(`/accounts?orgUnitId=${ids.community}`), 200);
    expectStatus(await staff.post('/accounts/shen-ayi/password-reset'), 200);
    expectStatus(await staff.post('/accounts/me/password', { currentPassword: staffAccount.password, newPassword: PASSWORD }), 200);
    volunteer = checked(await signIn(app.baseUrl, 'shen-ayi', expectStatus(await admin.post('/accounts/shen-ayi/password-reset'), 200).body.password));
    expectStatus(await volunteer.get('/sessions/current'), 200);
    expectStatus(await staff.post('/accounts/shen-ayi/disabling'), 200);
    expectStatus(await volunteer.get('/sessions/current'), 401);
    expectStatus(await staff.post('/accounts/shen-ayi/enabling'), 200);
    expectStatus(await volunteer.get('/sessions/current'), 200);

    // A profile change (of a volunteer registered for it, so that the figures below stay as they are): only what is given changes; nothing new is refused; moving a volunteer needs the new unit's scope too.
    const mover = expectStatus(await staff.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小周' }), 201).body.id;
    const changed = expectStatus(await staff.post(`/volunteers/${mover}/profile-changes`, { displayName: '小周师傅', senior: true, occupation: 'ride-hailing' }), 200).body;
    expect(expectStatus(await staff.get(`/volunteers/${mover}?minPosition=${changed.position}`), 200).body)
      .toMatchObject({ displayName: '小周师傅', senior: true, occupation: 'ride-hailing', partyMember: false, homeOrgUnitId: ids.community });
    expect(expectStatus(await staff.post(`/volunteers/${mover}/profile-changes`, { displayName: '小周师傅' }), 409).body.code).toBe('nothing-to-change');
    // The profile without opening personal data (what the console shows before "显示个人信息").
    expect(expectStatus(await staff.get(`/volunteers/${ids.v1}?personalData=omit`), 200).body).toMatchObject({ displayName: '沈阿姨', personalData: null, personalDataShown: 'omitted' });
    expect(expectStatus(await staff.get(`/volunteers/${ids.v1}`), 200).body).toMatchObject({ personalData: { realName: '沈桂芳' }, personalDataShown: 'full' });
    expectStatus(await staff.post(`/volunteers/${mover}/profile-changes`, { homeOrgUnitId: ids.other }), 403);
    const moved = expectStatus(await admin.post(`/volunteers/${mover}/profile-changes`, { homeOrgUnitId: ids.other }), 200).body;
    // The scope check reads the caller's writes too: at minPosition the volunteer is the other unit's.
    expectStatus(await staff.get(`/volunteers/${mover}?minPosition=${moved.position}`), 403);
    expect(expectStatus(await admin.get(`/volunteers/${mover}?minPosition=${moved.position}`), 200).body.homeOrgUnitId).toBe(ids.other);
  });

  it('answers activity, record and import commands as documented', async () => {
    const now = Date.now();
    const plan = async (title: string, startsAt: number, endsAt: number, extra: object = {}) => expectStatus(await staff.post('/activities', {
      orgUnitId: ids.community, title, category: 'digital-inclusion', location: '社区活动室', startsAt: iso(startsAt), endsAt: iso(endsAt), ...extra,
    }), 201).body.id as string;

    // A class that happened: one volunteer checked out, one forgot, one withdrew.
    ids.past = await plan('玩转智能手机', now - 3 * 60 * MIN, now - 60 * MIN, { capacity: 20, personInCharge: '高书记', description: '教老人用手机' });
    for (const v of [ids.v1, ids.v2, ids.v3]) expectStatus(await staff.post(`/activities/${ids.past}/enrollments`, { volunteerId: v }), 200);
    expectStatus(await staff.post(`/activities/${ids.past}/withdrawals`, { volunteerId: ids.v3, reason: '临时有事' }), 200);
    expectStatus(await staff.post(`/activities/${ids.past}/check-ins`, { volunteerId: ids.v1, at: iso(now - 3 * 60 * MIN) }), 200);
    expectStatus(await staff.post(`/activities/${ids.past}/check-outs`, { volunteerId: ids.v1, at: iso(now - 60 * MIN) }), 200);
    expectStatus(await staff.post(`/activities/${ids.past}/check-ins`, { volunteerId: ids.v2, at: iso(now - 2 * 60 * MIN) }), 200);
    const completion = expectStatus(await staff.post(`/activities/${ids.past}/completion`, { beneficiaries: 30 }), 200).body;
    expect(completion.notCredited).toEqual([{ volunteerId: ids.v2, reason: 'missed-check-out' }]);
    ids.attendanceRecord = completion.recordIds[0];

    // One moved and cancelled, one under way (QR check-in), one long overdue.
    ids.future = await plan('反诈宣传', now + 2 * DAY, now + 2 * DAY + 60 * MIN);
    expectStatus(await staff.post(`/activities/${ids.future}/rescheduling`, { startsAt: iso(now + 3 * DAY), endsAt: iso(now + 3 * DAY + 60 * MIN), reason: '下雨' }), 200);
    expectStatus(await staff.post(`/activities/${ids.future}/cancellation`, { reason: '场地不可用' }), 200);
    ids.open = await plan('助老理发', now - 30 * MIN, now + 90 * MIN);
    const code = expectStatus(await staff.post(`/activities/${ids.open}/check-in-codes`, { validMinutes: 15 }), 200).body.code;
    expectStatus(await volunteer.post(`/activities/${ids.open}/self-check-ins`, { code }), 200);
    ids.overdue = await plan('楼道清理', now - 30 * DAY, now - 30 * DAY + 60 * MIN);

    // Records: a staff entry, self-reports approved and rejected, a correction and a revocation.
    const yesterday = shanghaiDay(now - DAY);
    ids.staffRecord = expectStatus(await staff.post('/service-records', {
      volunteerId: ids.v2, orgUnitId: ids.community, category: 'errand-escort', serviceDate: yesterday, minutes: 60, description: '陪同就医', location: '市立医院',
    }), 201).body.id;
    const report = (description: string) => volunteer.post(`/volunteers/${ids.v1}/service-reports`, { orgUnitId: ids.community, category: 'elder-rides', serviceDate: yesterday, minutes: 40, description });
    ids.approved = expectStatus(await report('接送老人'), 201).body.id;
    ids.rejected = expectStatus(await report('重复上报'), 201).body.id;
    ids.pending = expectStatus(await report('帮忙买药'), 201).body.id;
    expectStatus(await staff.post(`/service-records/${ids.approved}/approval`), 200);
    expectStatus(await staff.post(`/service-records/${ids.rejected}/rejection`, { reason: '与另一条重复' }), 200);
    expectStatus(await staff.post(`/service-records/${ids.staffRecord}/amendments`, { minutes: 75, reason: '按负责人确认' }), 200);
    expectStatus(await staff.post(`/service-records/${ids.approved}/revocation`, { reason: '误报' }), 200);

    // Imports: a preview with a good and a bad row, then a commit.
    const preview = expectStatus(await staff.post('/service-records/imports/preview', {
      orgUnitId: ids.community, fileName: '十月.csv', content: sheet([`${ids.v3},${yesterday},垃圾分类,90,桶边督导,`, `nobody,${yesterday},其他,abc,整理,`]),
    }), 200).body;
    expect([preview.valid, preview.invalid]).toEqual([1, 1]);
    expectStatus(await staff.post('/service-records/imports', { orgUnitId: ids.community, fileName: '十月.csv', content: sheet([`${ids.v3},${yesterday},垃圾分类,90,桶边督导,`]) }), 201);
  });

  it('answers the reads, reports and the log as documented', async () => {
    const head = expectStatus(await admin.get('/events?limit=3'), 200).body;
    expect(head.next).not.toBeNull();
    const at = `minPosition=${head.head}`;
    expectStatus(await admin.get(`/events?after=${head.head}`), 200);
    expectStatus(await admin.get(`/streams/activity-${ids.past}`), 200);

    expectStatus(await admin.get(`/org-units?${at}`), 200);
    expectStatus(await volunteer.get('/org-units'), 200);
    expectStatus(await staff.get(`/org-units/${ids.community}`), 200);
    expectStatus(await admin.get(`/org-units/${ids.district}`), 200);

    expectStatus(await admin.get(`/activities?${at}`), 200);
    expectStatus(await staff.get(`/activities?orgUnitId=${ids.community}&from=${shanghaiDay(Date.now() - 60 * DAY)}&to=${shanghaiDay(Date.now() + 9 * DAY)}&status=overdue&limit=5`), 200);
    for (const activity of [ids.past, ids.future, ids.open, ids.overdue]) expectStatus(await staff.get(`/activities/${activity}?${at}`), 200);

    for (const v of [ids.v1, ids.v2, ids.v3]) {
      expectStatus(await staff.get(`/volunteers/${v}/hours?${at}`), 200);
      expectStatus(await staff.get(`/volunteers/${v}/records`), 200);
      expectStatus(await staff.get(`/volunteers/${v}`), 200);
    }
    const masked = expectStatus(await admin.get(`/volunteers/${ids.v1}`), 200).body;
    expect(masked.personalDataShown).toBe('masked');
    expectStatus(await volunteer.get(`/volunteers/${ids.v1}/hours`), 200);

    const period = shanghaiDay(Date.now()).slice(0, 7);
    expectStatus(await staff.get(`/org-units/${ids.community}/dashboard?period=${period}&${at}`), 200);
    expectStatus(await admin.get(`/org-units/${ids.district}/dashboard`), 200);
    const range = `from=${shanghaiDay(Date.now() - 60 * DAY)}&to=${shanghaiDay(Date.now())}`;
    for (const groupBy of ['child', 'category', 'month', 'group']) expectStatus(await staff.get(`/org-units/${ids.community}/report?${range}&groupBy=${groupBy}`), 200);
    expect(expectStatus(await admin.call('GET', `/api/v1/org-units/${ids.street}/report?${range}`, undefined, { accept: 'text/csv' }), 200).headers.get('content-type')).toMatch(/^text\/csv/);
    expectStatus(await staff.get(`/org-units/${ids.community}/report?${range}&format=xlsx`), 200);
    expectStatus(await staff.get(`/org-units/${ids.community}/report.csv?${range}`), 200);
    expectStatus(await staff.get(`/org-units/${ids.community}/report.xlsx?${range}`), 200);

    expectStatus(await staff.get(`/org-units/${ids.community}/volunteers?q=阿姨`), 200);
    expectStatus(await staff.get(`/org-units/${ids.community}/volunteers`), 200);
    expectStatus(await staff.get(`/org-units/${ids.community}/service-records?status=pending`), 200);
    expectStatus(await staff.get(`/org-units/${ids.community}/service-records?limit=50`), 200);

    const certificate = expectStatus(await staff.post(`/volunteers/${ids.v2}/certificates`, { from: shanghaiDay(Date.now() - 60 * DAY), to: shanghaiDay(Date.now()) }), 201).body;
    expectStatus(await checked().get(`/certificates/${certificate.number}?code=${certificate.verificationCode}`), 200);
    expectStatus(await staff.get(`/volunteers/${ids.v2}/certificates`), 200);

    expectStatus(await admin.get('/audit?limit=5'), 200);
    expectStatus(await staff.get(`/audit?orgUnitId=${ids.community}&actor=xinjia-staff&from=${shanghaiDay(Date.now() - DAY)}&to=${shanghaiDay(Date.now())}`), 200);
    expectStatus(await staff.get(`/audit?recordId=${ids.staffRecord}`), 200);
    const newest = expectStatus(await staff.get(`/audit?orgUnitId=${ids.community}&order=desc&limit=2`), 200).body;
    const older = expectStatus(await staff.get(`/audit?orgUnitId=${ids.community}&order=desc&limit=2&before=${newest.next}`), 200).body;
    const positions = [...newest.entries, ...older.entries].map((e: { position: number }) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    expect(new Set(positions).size).toBe(4);
    expectStatus(await staff.get(`/audit?orgUnitId=${ids.community}&type=ServiceRecorded.v1&order=desc`), 200);
    expectStatus(await admin.get(`/audit?streamId=volunteer-${ids.v1}`), 200);
  });

  it('answers erasure, and refusals, as documented', async () => {
    const erased = expectStatus(await staff.call('DELETE', `/api/v1/volunteers/${ids.v1}/personal-data`, { reason: '本人申请' }), 200).body;
    const profile = expectStatus(await staff.get(`/volunteers/${ids.v1}?minPosition=${erased.position}`), 200).body;
    expect([profile.personalData, profile.personalDataShown]).toEqual([null, 'none']);
    expectStatus(await admin.get(`/audit?streamId=volunteer-${ids.v1}`), 200);
    // A position the log has not reached is refused (the scope check does not wait for it either).
    expect(expectStatus(await staff.get(`/volunteers/${ids.v1}/hours?minPosition=999999999`), 400).body.code).toBe('min-position-ahead');

    // Errors are problem details (ProblemDetails): field errors, not found, refused, signed out, a ledger conflict.
    expect(expectStatus(await admin.post('/org-units', {}), 400).body.errors.length).toBeGreaterThan(0);
    expectStatus(await admin.get('/volunteers/nobody'), 404);
    expectStatus(await staff.get(`/org-units/${ids.other}/volunteers`), 403);
    expectStatus(await checked().get('/sessions/current'), 401);
    expectStatus(await staff.post(`/activities/${ids.past}/completion`, {}), 409);
    expectStatus(await checked().post('/sessions', { username: 'xinjia-staff', password: 'wrong-password' }), 401);
  });

  it('has checked a success answer of every documented route', () => {
    expect(schemas.operations().filter((operation) => !schemas.answered.has(operation))).toEqual([]);
  });
});
