import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, startHaitang } from './support/haitang-process';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface BadCase {
  name: string;
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code?: string;
}

/**
 * Bad input of every kind a client can send: each gets a clear 4xx
 * problem+json answer, and the log does not grow by a single event.
 */
describe('standalone ledger: bad input is refused with problem+json and changes nothing', () => {
  let dir: string;
  let app: HaitangProcess;
  let api: ReturnType<typeof client>;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-bad-'));
    app = await startHaitang(dir);
    api = client(app.baseUrl, app.token);
    const post = async (path: string, body: unknown) => {
      const r = await api.post(path, body);
      if (r.status >= 300) throw new Error(`setup ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    id.district = (await post('/org-units', { kind: 'district', name: '姑苏区' })).id;
    id.street = (await post('/org-units', { kind: 'street', name: '金阊街道', parentId: id.district })).id;
    id.community = (await post('/org-units', { kind: 'community', name: '桃花坞社区', parentId: id.street })).id;
    id.volunteer = (await post('/volunteers', { homeOrgUnitId: id.community, displayName: '俞阿姨' })).id;
    const now = Date.now();
    id.activity = (await post('/activities', { orgUnitId: id.community, title: '社情民意议事会', category: 'public-opinion', location: '桃花坞社区', startsAt: iso(now - 120 * MIN), endsAt: iso(now + 60 * MIN) })).id;
    id.cancelled = (await post('/activities', { orgUnitId: id.community, title: '小区环境整治', category: 'environment', location: '铁路新村', startsAt: iso(now - 60 * MIN), endsAt: iso(now) })).id;
    await post(`/activities/${id.cancelled}/cancellation`, { reason: '暴雨' });
    id.record = (await post('/service-records', { volunteerId: id.volunteer, orgUnitId: id.community, category: 'other', serviceDate: '2026-01-10', minutes: 60, description: '整理议事会记录' })).id;
    id.revoked = (await post('/service-records', { volunteerId: id.volunteer, orgUnitId: id.community, category: 'other', serviceDate: '2026-01-11', minutes: 30, description: '发放宣传单' })).id;
    await post(`/service-records/${id.revoked}/revocation`, { reason: '重复登记' });
    expect((await api.post('/org-units', { kind: 'district', name: '相城区' }, { 'idempotency-key': 'used-key' })).status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (overrides: Record<string, unknown>) => ({
    volunteerId: id.volunteer, orgUnitId: id.community, category: 'other', serviceDate: '2026-01-12', minutes: 60, description: '协助社区工作', ...overrides,
  });
  const activity = (overrides: Record<string, unknown>) => ({
    orgUnitId: id.community, title: '玩转智能手机', category: 'digital-inclusion', location: '活动室',
    startsAt: '2026-12-01T09:00:00+08:00', endsAt: '2026-12-01T11:00:00+08:00', ...overrides,
  });

  const cases = (): BadCase[] => [
    { name: 'malformed JSON', path: '/org-units', body: '{"kind": "district", ', status: 400, code: 'malformed-json' },
    { name: 'plain text body', path: '/org-units', body: 'district 姑苏区', headers: { 'content-type': 'text/plain' }, status: 415 },
    { name: 'form-encoded body', path: '/org-units', body: 'kind=district&name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
    { name: 'JSON array as body', path: '/org-units', body: [{ kind: 'district', name: 'x' }], status: 400 },
    { name: 'JSON null as body', path: '/org-units', body: 'null', status: 400 },
    { name: 'unknown field', path: '/org-units', body: { kind: 'district', name: '吴中区', mayor: '某某' }, status: 400, code: 'validation-failed' },
    { name: 'unknown org unit kind', path: '/org-units', body: { kind: 'city', name: '苏州市' }, status: 400 },
    { name: 'empty name', path: '/org-units', body: { kind: 'district', name: '' }, status: 400 },
    { name: 'whitespace-only name', path: '/org-units', body: { kind: 'district', name: '   ' }, status: 422, code: 'name-required' },
    { name: 'name of 101 characters', path: '/org-units', body: { kind: 'district', name: '区'.repeat(101) }, status: 400 },
    { name: 'community without a parent', path: '/org-units', body: { kind: 'community', name: '新社区' }, status: 422, code: 'parent-required' },
    { name: 'community under an unknown parent', path: '/org-units', body: { kind: 'community', name: '新社区', parentId: 'no-such-unit' }, status: 422, code: 'parent-not-found' },
    { name: 'community directly under a district', path: '/org-units', body: { kind: 'community', name: '新社区', parentId: id.district }, status: 422, code: 'parent-kind-not-allowed' },
    { name: 'district with a parent', path: '/org-units', body: { kind: 'district', name: '新区', parentId: id.district }, status: 422, code: 'district-has-no-parent' },
    { name: 'volunteer of an unknown unit', path: '/volunteers', body: { homeOrgUnitId: 'nowhere', displayName: '小王' }, status: 422, code: 'home-org-unit-not-found' },
    { name: 'volunteer with a malformed phone', path: '/volunteers', body: { homeOrgUnitId: id.community, displayName: '小王', phone: 'call me' }, status: 400 },
    { name: 'volunteer with a malformed ID number', path: '/volunteers', body: { homeOrgUnitId: id.community, displayName: '小王', idNumber: '12345' }, status: 400 },
    { name: 'party member given as text', path: '/volunteers', body: { homeOrgUnitId: id.community, displayName: '小王', partyMember: 'yes' }, status: 400 },
    { name: 'unknown occupation', path: '/volunteers', body: { homeOrgUnitId: id.community, displayName: '小王', occupation: 'astronaut' }, status: 400 },
    { name: 'activity ending before it starts', path: '/activities', body: activity({ endsAt: '2026-12-01T08:00:00+08:00' }), status: 422, code: 'window-invalid' },
    { name: 'activity longer than a day', path: '/activities', body: activity({ endsAt: '2026-12-03T11:00:00+08:00' }), status: 422, code: 'window-too-long' },
    { name: 'time without a time zone', path: '/activities', body: activity({ startsAt: '2026-12-01T09:00:00' }), status: 400 },
    { name: 'impossible date-time', path: '/activities', body: activity({ startsAt: '2026-13-45T09:00:00+08:00' }), status: 422, code: 'startsAt-invalid' },
    { name: 'unknown category', path: '/activities', body: activity({ category: 'fishing' }), status: 400 },
    { name: 'capacity zero', path: '/activities', body: activity({ capacity: 0 }), status: 400 },
    { name: 'fractional capacity', path: '/activities', body: activity({ capacity: 1.5 }), status: 400 },
    { name: 'activity for an unknown unit', path: '/activities', body: activity({ orgUnitId: 'nowhere' }), status: 422, code: 'org-unit-not-found' },
    { name: 'check-in at an unknown activity', path: '/activities/no-such-activity/check-ins', body: { volunteerId: id.volunteer }, status: 404, code: 'activity-not-found' },
    { name: 'check-in of an unknown volunteer', path: `/activities/${id.activity}/check-ins`, body: { volunteerId: 'ghost' }, status: 422, code: 'volunteer-not-found' },
    { name: 'check-in in the future', path: `/activities/${id.activity}/check-ins`, body: { volunteerId: id.volunteer, at: iso(Date.now() + 30 * MIN) }, status: 422, code: 'at-in-future' },
    { name: 'check-in without a volunteer', path: `/activities/${id.activity}/check-ins`, body: {}, status: 400 },
    { name: 'check-out without check-in', path: `/activities/${id.activity}/check-outs`, body: { volunteerId: id.volunteer }, status: 409, code: 'not-checked-in' },
    { name: 'check-in at a cancelled activity', path: `/activities/${id.cancelled}/check-ins`, body: { volunteerId: id.volunteer }, status: 409, code: 'activity-cancelled' },
    { name: 'completing a cancelled activity', path: `/activities/${id.cancelled}/completion`, body: {}, status: 409, code: 'activity-cancelled' },
    { name: 'cancelling without a reason', path: `/activities/${id.activity}/cancellation`, body: {}, status: 400 },
    { name: 'zero minutes', path: '/service-records', body: record({ minutes: 0 }), status: 400 },
    { name: 'more than 24 hours', path: '/service-records', body: record({ minutes: 1441 }), status: 400 },
    { name: 'negative minutes', path: '/service-records', body: record({ minutes: -30 }), status: 400 },
    { name: 'fractional minutes', path: '/service-records', body: record({ minutes: 90.5 }), status: 400 },
    { name: 'minutes as text', path: '/service-records', body: record({ minutes: '90' }), status: 400 },
    { name: 'impossible service date', path: '/service-records', body: record({ serviceDate: '2026-02-30' }), status: 422, code: 'service-date-invalid' },
    { name: 'service date in the future', path: '/service-records', body: record({ serviceDate: '2099-01-01' }), status: 422, code: 'service-date-in-future' },
    { name: 'service date in another format', path: '/service-records', body: record({ serviceDate: '2026/01/12' }), status: 400 },
    { name: 'hours for a cancelled activity', path: '/service-records', body: record({ activityId: id.cancelled }), status: 409, code: 'activity-cancelled' },
    { name: 'hours for an unknown volunteer', path: '/service-records', body: record({ volunteerId: 'ghost' }), status: 422, code: 'volunteer-not-found' },
    { name: 'self-report of an unknown volunteer', path: '/volunteers/ghost/service-reports', body: { orgUnitId: id.community, category: 'other', serviceDate: shanghaiToday(), minutes: 30, description: '跑腿' }, status: 422, code: 'volunteer-not-found' },
    { name: 'approving an unknown record', path: '/service-records/no-such-record/approval', body: {}, status: 404, code: 'record-not-found' },
    { name: 'approving an approved staff entry', path: `/service-records/${id.record}/approval`, body: {}, status: 409, code: 'record-not-pending' },
    { name: 'rejecting without a reason', path: `/service-records/${id.record}/rejection`, body: {}, status: 400 },
    { name: 'amending to the same minutes', path: `/service-records/${id.record}/amendments`, body: { minutes: 60, reason: '核对' }, status: 409, code: 'minutes-unchanged' },
    { name: 'amending a revoked record', path: `/service-records/${id.revoked}/amendments`, body: { minutes: 45, reason: '核对' }, status: 409, code: 'record-closed' },
    { name: 'revoking twice', path: `/service-records/${id.revoked}/revocation`, body: { reason: '再次撤销' }, status: 409, code: 'record-closed' },
    { name: 'amending with a reason of spaces', path: `/service-records/${id.record}/amendments`, body: { minutes: 50, reason: '   ' }, status: 422, code: 'reason-required' },
    { name: 'an Idempotency-Key that is too long', path: '/org-units', body: { kind: 'district', name: '吴中区' }, headers: { 'idempotency-key': 'k'.repeat(201) }, status: 400, code: 'bad-idempotency-key' },
    { name: 'an Idempotency-Key reused for another request', path: '/org-units', body: { kind: 'district', name: '吴中区' }, headers: { 'idempotency-key': 'used-key' }, status: 422, code: 'idempotency-key-reused' },
    { name: 'an id with forbidden characters', path: '/service-records/..%2F..%2Fetc/approval', body: {}, status: 404 },
    { name: 'an unknown route', path: '/volcanoes', body: {}, status: 404 },
    { name: 'a body over 1 MiB', path: '/org-units', body: { kind: 'district', name: 'x'.repeat(1_100_000) }, status: 413 },
    { name: 'deeply nested JSON', path: '/org-units', body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, status: 400, code: 'json-too-deep' },
    { name: 'a lone surrogate in a name', path: '/org-units', body: '{"kind":"district","name":"姑苏\\ud800区"}', status: 400, code: 'malformed-text' },
    { name: 'deeply nested arrays', path: '/org-units', body: `{"kind":"district","name":${'['.repeat(3000)}${']'.repeat(3000)}}`, status: 400, code: 'json-too-deep' },
    { name: 'a negative log position', method: 'GET', path: '/events?after=-1', status: 400 },
    { name: 'a huge log page', method: 'GET', path: '/events?limit=100000', status: 400 },
    { name: 'an unknown stream', method: 'GET', path: '/streams/record-nothing', status: 404 },
    { name: 'a stream name outside the catalogue', method: 'GET', path: '/streams/passwords', status: 404 },
  ];

  it('answers at least 30 kinds of bad input with a 4xx problem and appends nothing', async () => {
    const list = cases();
    expect(list.length).toBeGreaterThanOrEqual(30);
    const before = await api.head();
    const failures: string[] = [];
    for (const c of list) {
      const answer = await api.call(c.method ?? 'POST', `/api/v1${c.path}`, c.body, c.headers);
      const type = answer.headers.get('content-type') ?? '';
      const ok = answer.status === c.status && type.startsWith('application/problem+json') && answer.body?.status === c.status
        && typeof answer.body?.detail === 'string' && answer.body.detail.length > 0 && (!c.code || answer.body.code === c.code);
      if (!ok) failures.push(`${c.name}: got ${answer.status} ${type} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(await api.head()).toBe(before);
    expect(app.output()).not.toMatch(/"level":50/);
  });

  it('lists every invalid field of a validation failure', async () => {
    const answer = await api.post('/activities', { orgUnitId: id.community, title: '', category: 'x', startsAt: 'soon' });
    expect(answer.status).toBe(400);
    const fields = new Set(answer.body.errors.map((e: { field: string }) => e.field));
    expect(fields).toEqual(new Set(['title', 'category', 'location', 'startsAt', 'endsAt']));
  });
});
