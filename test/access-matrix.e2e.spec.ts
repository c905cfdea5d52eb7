import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, client, type HaitangProcess, signIn, startHaitang, TEST_ADMIN } from './support/haitang-process';

/**
 * The authorization matrix, generated from the server's own route table
 * (GET /api/v1/access/routes lists every route Nest and Fastify registered,
 * with the access rule the guard enforces):
 *
 *   every route × every role (admin, official, staff, volunteer) × a target
 *   inside the caller's scope and one outside it
 *
 * is called over HTTP. The expected outcome is worked out here from the
 * roles' meaning (admin: everything; official: reads its subtree; staff: reads
 * and writes its subtree; volunteer: its own data and self-reports), not by
 * the guard's code: a refusal must be 403 problem+json with nothing appended;
 * a permitted call must not be refused (a read answers 2xx, a write 2xx or a
 * domain 4xx such as "already checked in"). A route without a declared rule
 * fails the suite, and so does a route this suite cannot build a request for.
 */

type Role = 'admin' | 'official' | 'staff' | 'volunteer';
type Kind = 'org-unit' | 'volunteer' | 'activity' | 'record' | 'team' | 'stream' | 'account';
interface Spec { kind: Kind; in: 'param' | 'body' | 'query'; name: string; optional?: boolean }
type Rule = { public: true } | { action: 'read' | 'write' | 'self'; roles: Role[]; scope: Spec[] | 'caller' };
interface Route { method: string; path: string; handler: string | null; rule: Rule | null }

const ROLES: Role[] = ['admin', 'official', 'staff', 'volunteer'];
const PASSWORD = 'matrix-password-1';
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
/** Codes the access guard answers with: a permitted call must never see them. */
/** In a sample: "the rule's target goes here" (for an optional target, which is otherwise left out). */
const TARGET = '<target>';
const GUARD_CODES = ['token-missing', 'token-invalid', 'role-not-permitted', 'read-only-role', 'out-of-scope', 'no-access-rule'];

/** One side of the world: the ids of records in a scope, by kind (plus a pending record for approvals). */
type World = Record<Kind | 'pending' | 'street' | 'erasable', string>;

describe('authorization matrix: every route × role × inside/outside scope, from the route table', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: ReturnType<typeof client>;
  const as = {} as Record<Role, ReturnType<typeof client>>;
  let routes: Route[];
  /** The opaque account ids, which the log records as actors. */
  const accountIds = {} as Record<Role, string>;
  const inside = {} as World;
  const outside = {} as World;

  const setup = async (path: string, body: unknown) => {
    const r = await admin.post(path, body);
    if (r.status >= 300) throw new Error(`setup ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };
  const head = async () => (await admin.get('/events?limit=1')).body.head as number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-matrix-'));
    app = await startHaitang(dir);
    admin = client(app.baseUrl, app.token);
    const now = Date.now();
    // 姑苏区 > 金阊街道 > 桃花坞社区 is inside; 相城区 > 富元社区 is outside.
    const district = (await setup('/org-units', { kind: 'district', name: '姑苏区' })).id;
    const street = (await setup('/org-units', { kind: 'street', name: '金阊街道', parentId: district })).id;
    const otherDistrict = (await setup('/org-units', { kind: 'district', name: '相城区' })).id;
    const town = (await setup('/org-units', { kind: 'town', name: '望亭镇', parentId: otherDistrict })).id;
    for (const [w, parent, names] of [[inside, street, ['桃花坞社区', '俞阿姨']], [outside, town, ['御亭社区', '老王']]] as const) {
      w.street = parent;
      w['org-unit'] = (await setup('/org-units', { kind: 'community', name: names[0], parentId: parent })).id;
      w.volunteer = (await setup('/volunteers', { homeOrgUnitId: w['org-unit'], displayName: names[1], realName: '测试', phone: '13800000000' })).id;
      // Erased by the matrix (erasure removes the volunteer's accounts, so not the volunteer who calls).
      w.erasable = (await setup('/volunteers', { homeOrgUnitId: w['org-unit'], displayName: `${names[1]}的邻居` })).id;
      w.team = (await setup('/teams', { orgUnitId: w['org-unit'], name: '红引擎志愿服务队', kind: 'red-engine' })).id;
      w.activity = (await setup('/activities', { orgUnitId: w['org-unit'], title: '社情民意议事会', category: 'public-opinion', location: '活动室', startsAt: iso(now - 60 * MIN), endsAt: iso(now + 60 * MIN) })).id;
      w.record = (await setup('/service-records', { volunteerId: w.volunteer, orgUnitId: w['org-unit'], category: 'other', serviceDate: shanghaiDay(now - 86_400_000), minutes: 60, description: '整理议事会记录' })).id;
      w.pending = (await setup(`/volunteers/${w.volunteer}/service-reports`, { orgUnitId: w['org-unit'], category: 'errand-escort', serviceDate: shanghaiDay(now - 86_400_000), minutes: 45, description: '送独居老人复诊' })).id;
      w.stream = `volunteer-${w.volunteer}`;
    }
    // The callers: staff of 桃花坞社区, an official of 姑苏区, the volunteer 俞阿姨.
    const accounts: [Role, Record<string, string>][] = [
      ['staff', { username: 'staff-in', role: 'staff', orgUnitId: inside['org-unit'] }],
      ['official', { username: 'official-in', role: 'official', orgUnitId: district }],
      ['volunteer', { username: 'volunteer-in', role: 'volunteer', volunteerId: inside.volunteer }],
    ];
    for (const [role, account] of accounts) {
      const created = await admin.post('/accounts', { ...account, password: PASSWORD });
      expect(created.status).toBe(201);
      accountIds[role] = created.body.account.id;
    }
    // Accounts to reset passwords of: one in scope of the staff member, one outside.
    expect((await admin.post('/accounts', { username: 'reset-in', role: 'staff', orgUnitId: inside['org-unit'], password: PASSWORD })).status).toBe(201);
    expect((await admin.post('/accounts', { username: 'reset-out', role: 'staff', orgUnitId: outside['org-unit'], password: PASSWORD })).status).toBe(201);
    inside.account = 'reset-in';
    outside.account = 'reset-out';
    as.admin = admin;
    for (const [role, account] of accounts) as[role] = client(app.baseUrl, await signIn(app.baseUrl, account.username, PASSWORD));
    routes = (await admin.get('/access/routes')).body.routes;
  });

  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A client of the role with a token of its own (signed in afresh). */
  async function throwaway(role: Role): Promise<ReturnType<typeof client>> {
    const username = role === 'admin' ? TEST_ADMIN.username : `${role}-in`;
    return client(app.baseUrl, await signIn(app.baseUrl, username, role === 'admin' ? TEST_ADMIN.password : PASSWORD));
  }

  // ------------------------------------------------------------ building requests

  let serial = 0;
  /** A valid body (and query) per route, so that permitted calls really do something. Targets are filled in from the rule. */
  function sample(route: Route, w: World): { body?: Record<string, unknown>; query?: Record<string, string>; params?: Record<string, string> } {
    const n = ++serial;
    const now = Date.now();
    const yesterday = shanghaiDay(now - 86_400_000);
    const key = `${route.method} ${route.path}`;
    switch (key) {
      // Under a community nothing may be registered: permitted callers get the domain's 422.
      case 'POST /api/v1/org-units': return { body: { kind: 'community', name: `新社区${n}` } };
      case 'POST /api/v1/org-units/:id/renaming': return { body: { name: `改名${n}` } };
      case 'POST /api/v1/teams': return { body: { name: `服务队${n}`, kind: 'service-team' } };
      case 'POST /api/v1/teams/:id/members': return { body: { volunteerId: w.volunteer } };
      case 'POST /api/v1/teams/:id/members/:volunteerId/leaving': return { params: { volunteerId: w.volunteer }, body: {} };
      case 'POST /api/v1/volunteers': return { body: { displayName: `志愿者${n}` } };
      case 'POST /api/v1/volunteers/:id/profile-changes': return { body: { displayName: `改名志愿者${n}` } };
      case 'DELETE /api/v1/volunteers/:id/personal-data': return { params: { id: w.erasable }, body: { reason: '本人申请' } };
      case 'POST /api/v1/activities': return { body: { title: `活动${n}`, category: 'other', location: '活动室', startsAt: iso(now + 86_400_000), endsAt: iso(now + 86_400_000 + 60 * MIN) } };
      case 'POST /api/v1/activities/:id/rescheduling': return { body: { startsAt: iso(now - 50 * MIN), endsAt: iso(now + 70 * MIN) } };
      case 'POST /api/v1/activities/:id/cancellation': return { body: { reason: '下雨' } };
      case 'POST /api/v1/activities/:id/enrollments':
      case 'POST /api/v1/activities/:id/check-ins':
      case 'POST /api/v1/activities/:id/check-outs': return { body: { volunteerId: w.volunteer } };
      case 'POST /api/v1/activities/:id/withdrawals': return { body: { volunteerId: w.volunteer, reason: '临时有事' } };
      case 'POST /api/v1/activities/:id/completion': return { body: {} };
      case 'POST /api/v1/service-records': return { body: { volunteerId: w.volunteer, category: 'other', serviceDate: yesterday, minutes: 30, description: `服务${n}` } };
      case 'POST /api/v1/volunteers/:id/service-reports': return { body: { orgUnitId: w['org-unit'], category: 'other', serviceDate: yesterday, minutes: 30, description: `服务${n}` } };
      case 'POST /api/v1/service-records/:id/approval': return { params: { id: w.pending }, body: {} };
      case 'POST /api/v1/service-records/:id/rejection': return { params: { id: w.pending }, body: { reason: '时长不符' } };
      case 'POST /api/v1/service-records/:id/amendments': return { body: { minutes: 50 + (n % 100), reason: '更正' } };
      case 'POST /api/v1/service-records/:id/revocation': return { body: { reason: '重复登记' } };
      case 'POST /api/v1/volunteers/:id/certificates': return { body: { from: '2026-01-01', to: yesterday } };
      case 'POST /api/v1/activities/:id/self-check-ins': return { params: { id: w.activity }, body: { code: 'not.a-valid-code' } };
      case 'POST /api/v1/service-records/imports/preview':
      case 'POST /api/v1/service-records/imports': {
        const sheet = `志愿者编号,服务日期,服务类别,服务时长（分钟）,服务内容\n${w.volunteer},${yesterday},其他,30,导入的服务${n}\n`;
        return { body: { fileName: `导入${n}.csv`, content: Buffer.from(sheet).toString('base64') } };
      }
      case 'POST /api/v1/accounts': return { body: { username: `made-${n}`, role: 'staff', orgUnitId: TARGET, password: PASSWORD } };
      case 'GET /api/v1/audit': return { query: { orgUnitId: TARGET } };
      case 'POST /api/v1/accounts/me/password': return { body: { currentPassword: 'not-the-password', newPassword: 'another-password-2' } };
      case 'GET /api/v1/org-units/:id/report':
      case 'GET /api/v1/org-units/:id/report.csv':
      case 'GET /api/v1/org-units/:id/report.xlsx': return { query: { from: '2026-01-01', to: '2026-12-31' } };
      default:
        // A new route: reads need no more; a write without a sample is sent with an empty body (never refused by the guard for that).
        if (route.method === 'GET') return {};
        return { body: {} };
    }
  }

  /**
   * The request for a route aimed at one world: its rule's targets point into
   * it (an optional target only when the sample names the field); other path
   * params come from the sample.
   */
  function build(route: Route, w: World): { method: string; path: string; body?: unknown } {
    const { body, query, params } = sample(route, w);
    const rule = route.rule as Exclude<Rule, { public: true }>;
    const values: Record<'param' | 'body' | 'query', Record<string, unknown>> = { param: { ...params }, body: { ...body }, query: { ...query } };
    if (rule.scope !== 'caller') {
      for (const spec of rule.scope) {
        if (spec.optional && !(spec.name in values[spec.in])) continue;
        const given = values[spec.in][spec.name];
        values[spec.in][spec.name] = typeof given === 'string' && given !== TARGET ? given : w[spec.kind];
      }
    }
    const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
      const value = values.param[name] as string | undefined;
      if (value === undefined) throw new Error(`${route.method} ${route.path}: no value for :${name} (add it to sample())`);
      return encodeURIComponent(value);
    });
    const search = new URLSearchParams(values.query as Record<string, string>).toString();
    return { method: route.method, path: `${path}${search ? `?${search}` : ''}`, body: body === undefined ? undefined : values.body };
  }

  const call = (who: ReturnType<typeof client>, r: { method: string; path: string; body?: unknown }) =>
    who.call(r.method, r.path, r.body, r.body === undefined ? {} : { 'idempotency-key': `matrix-${++serial}` });

  /** What the roles mean, independently of the guard: may this role call this route on this side of the world? */
  function permitted(role: Role, rule: Exclude<Rule, { public: true }>, side: 'inside' | 'outside'): boolean {
    if (role === 'admin') return true;
    if (!rule.roles.includes(role)) return false;
    if (role === 'official' && rule.action === 'write') return false;
    if (rule.scope === 'caller') return true;
    if (side === 'outside') return false;
    // A volunteer's scope is themselves: only targets that can be about a volunteer can be theirs.
    if (role === 'volunteer') return rule.scope.every((s) => s.optional || ['volunteer', 'record', 'stream'].includes(s.kind));
    return true;
  }

  const apiRoutes = () => routes.filter((r) => r.path.startsWith('/api/'));
  const guarded = () => apiRoutes().filter((r) => r.rule !== null && !('public' in r.rule)) as (Route & { rule: Exclude<Rule, { public: true }> })[];

  // ------------------------------------------------------------------ the suite

  it('finds every route in the table, each with a declared rule', () => {
    expect(apiRoutes().length).toBeGreaterThanOrEqual(35);
    expect(apiRoutes().filter((r) => r.rule === null).map((r) => `${r.method} ${r.path} (${r.handler ?? 'not a Nest route'})`)).toEqual([]);
    // Public: signing in, verifying a certificate (with its number and code), health and metrics, and what is served outside /api (docs, web pages).
    expect(routes.filter((r) => r.rule && 'public' in r.rule && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`).sort())
      .toEqual(['GET /api/v1/certificates/:number', 'POST /api/v1/sessions']);
    expect(routes.filter((r) => !r.path.startsWith('/api/') && !(r.rule && 'public' in r.rule))).toEqual([]);
    expect(routes.some((r) => r.path === '/health') && routes.some((r) => r.path === '/metrics') && routes.some((r) => r.path === '/docs')).toBe(true);
  });

  it('the rules keep the roles’ meaning: officials never write, volunteers write only their self-reports and certificates', () => {
    const writes = guarded().filter((r) => r.rule.action === 'write');
    expect(writes.filter((r) => r.rule.roles.includes('official' as Role))).toEqual([]);
    // …and check themselves in with a QR code (for themselves only: the route takes no volunteer id).
    expect(writes.filter((r) => r.rule.roles.includes('volunteer')).map((r) => `${r.method} ${r.path}`).sort())
      .toEqual(['POST /api/v1/activities/:id/self-check-ins', 'POST /api/v1/volunteers/:id/certificates', 'POST /api/v1/volunteers/:id/service-reports']);
    expect(guarded().filter((r) => r.method !== 'GET' && r.rule.action === 'read')).toEqual([]);
    // 'self': a change to the caller's own account or session only (their password, signing out), which every role may make.
    expect(guarded().filter((r) => r.rule.action === 'self').map((r) => [`${r.method} ${r.path}`, r.rule.scope]))
      .toEqual([['POST /api/v1/accounts/me/password', 'caller'], ['DELETE /api/v1/sessions/current', 'caller']]);
  });

  it('answers 401 problem+json to every guarded route without a token or with a bad one, appending nothing', async () => {
    const before = await head();
    const anonymous = client(app.baseUrl);
    for (const route of guarded()) {
      const request = build(route, inside);
      for (const headers of [{}, { authorization: 'Bearer not.a.token' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }] as Record<string, string>[]) {
        const answer = await anonymous.call(request.method, request.path, request.body, headers);
        expect([`${route.method} ${route.path}`, answer.status, answer.headers.get('content-type'), answer.headers.get('www-authenticate')?.startsWith('Bearer')])
          .toEqual([`${route.method} ${route.path}`, 401, 'application/problem+json; charset=utf-8', true]);
      }
    }
    expect(await head()).toBe(before);
  });

  it('permits and refuses exactly as the roles mean, for every route, role and side; a refusal is 403 and appends nothing', async () => {
    const outcomes: string[] = [];
    const wrong: string[] = [];
    let permittedCalls = 0;
    let refusedCalls = 0;
    let succeeded = 0;
    for (const route of guarded()) {
      for (const role of ROLES) {
        for (const side of ['inside', 'outside'] as const) {
          // Inside is the same world for everyone: 桃花坞社区's records, about the volunteer 俞阿姨.
          const world = side === 'outside' ? outside : inside;
          const request = build(route, world);
          const expected = permitted(role, route.rule, side);
          const before = expected ? 0 : await head();
          // Signing out refuses the token it is sent with: it gets one of its own, not the one the rest of the matrix uses.
          const who = `${route.method} ${route.path}` === 'DELETE /api/v1/sessions/current' ? await throwaway(role) : as[role];
          const answer: Answer = await call(who, request);
          const what = `${role} ${side}: ${request.method} ${request.path} → ${answer.status} ${answer.body?.code ?? ''}`;
          outcomes.push(what);
          if (expected) {
            permittedCalls++;
            const refusedByGuard = answer.status === 401 || answer.status === 403 || GUARD_CODES.includes(answer.body?.code);
            const readFailed = route.method === 'GET' && (answer.status < 200 || answer.status >= 300);
            if (refusedByGuard || readFailed || answer.status >= 500) wrong.push(`expected permitted, got ${what}`);
            if (answer.status < 300) succeeded++;
          } else {
            refusedCalls++;
            if (answer.status !== 403 || !answer.headers.get('content-type')?.startsWith('application/problem+json')) wrong.push(`expected 403, got ${what}`);
            const after = await head();
            if (after !== before) wrong.push(`refused but the log moved ${before} → ${after}: ${what}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(outcomes.length).toBe(guarded().length * ROLES.length * 2);
    // The matrix is not lopsided: plenty of both, and most permitted calls did what they asked.
    expect(refusedCalls).toBeGreaterThan(150);
    expect(permittedCalls).toBeGreaterThan(100);
    expect(succeeded / permittedCalls).toBeGreaterThan(0.7);
  });

  it('answers an unknown id exactly like a foreign one, to everyone without the scope', async () => {
    const unknown = Object.fromEntries(Object.keys(outside).map((k) => [k, k === 'stream' ? 'volunteer-unknown-42' : k === 'street' ? outside.street : 'unknown-42'])) as World;
    const differences: string[] = [];
    let compared = 0;
    for (const route of guarded().filter((r) => r.rule.scope !== 'caller' && r.rule.scope.length > 0)) {
      for (const role of ['official', 'staff', 'volunteer'] as const) {
        const foreign = await call(as[role], build(route, outside));
        const missing = await call(as[role], build(route, unknown));
        const shape = (a: Answer) => JSON.stringify({ status: a.status, code: a.body?.code, detail: a.body?.detail, type: a.headers.get('content-type') });
        compared++;
        if (shape(foreign) !== shape(missing)) differences.push(`${role} ${route.method} ${route.path}: ${shape(foreign)} vs ${shape(missing)}`);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(60);
  });

  it('a required target left out is the whole ledger: admin only', async () => {
    for (const role of ['official', 'staff'] as const) {
      expect((await as[role].get('/activities')).status).toBe(403);
      expect((await as[role].get('/accounts')).status).toBe(403);
    }
    expect((await as.staff.post('/org-units', { kind: 'district', name: '吴中区' })).status).toBe(403);
    expect((await admin.get('/activities')).status).toBe(200);
    // Targets that are each optional still need one.
    for (const role of ['official', 'staff'] as const) expect((await as[role].get('/audit')).status).toBe(403);
    expect((await admin.get('/audit')).status).toBe(200);
    expect((await as.staff.post('/accounts', { username: 'sneaky', role: 'admin', password: PASSWORD })).status).toBe(403);
  });

  it('a body without the unit or volunteer it acts on is malformed: 400 with that field, for everyone, and nothing appended', async () => {
    const before = await head();
    for (const who of [as.staff, admin]) {
      const left = await who.post('/teams', { name: '无单位的队伍', kind: 'service-team' });
      expect(left.status).toBe(400);
      expect(left.headers.get('content-type')).toContain('application/problem+json');
      expect(left.body.errors).toEqual([{ field: 'orgUnitId', message: '必须填写。(orgUnitId is required.)' }]);
      expect((await who.post('/volunteers', { homeOrgUnitId: '', displayName: '无家可归' })).body.errors)
        .toEqual([{ field: 'homeOrgUnitId', message: '应为编号（字母、数字、- 和 _）。(homeOrgUnitId must be an id (letters, digits, - and _).)' }]);
    }
    const wrongType = await as.staff.post('/activities', { orgUnitId: 42, title: '活动', category: 'other', location: '活动室', startsAt: iso(Date.now() + 86_400_000), endsAt: iso(Date.now() + 86_400_000 + 60 * MIN) });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toEqual([{ field: 'orgUnitId', message: '应为编号（字母、数字、- 和 _）。(orgUnitId must be an id (letters, digits, - and _).)' }]);
    expect(await head()).toBe(before);
  });

  it('staff add to their team only the volunteers they look after', async () => {
    const before = await head();
    const foreign = await as.staff.post(`/teams/${inside.team}/members`, { volunteerId: outside.volunteer });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('out-of-scope');
    expect(await head()).toBe(before);
  });

  it('records the real caller as the actor of every event, by their opaque account id', async () => {
    expect(Object.values(accountIds).every((id) => /^acct-[0-9a-f-]{36}$/.test(id))).toBe(true);
    const report = await as.volunteer.post(`/volunteers/${inside.volunteer}/service-reports`, { orgUnitId: inside['org-unit'], category: 'other', serviceDate: shanghaiDay(Date.now()), minutes: 20, description: '帮邻居取快递' });
    expect(report.status).toBe(201);
    const approval = await as.staff.post(`/service-records/${report.body.id}/approval`);
    expect(approval.status).toBe(200);
    const history = (await admin.get(`/streams/record-${report.body.id}`)).body.events.map((e: { type: string; metadata: { actor: unknown } }) => [e.type, e.metadata.actor]);
    expect(history).toEqual([
      ['ServiceRecorded.v1', { id: accountIds.volunteer, role: 'volunteer', orgUnitId: null, volunteerId: inside.volunteer }],
      ['ServiceApproved.v1', { id: accountIds.staff, role: 'staff', orgUnitId: inside['org-unit'] }],
    ]);
  });
});
