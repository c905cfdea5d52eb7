import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, client, type HaitangProcess, signIn, startHaitang } from './support/haitang-process';
import { STORAGE_BACKENDS } from './support/storage-backends';

const PASSWORD = 'certificate-test-password';
const DAY = 86_400_000;
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Certificates of volunteer service over real HTTP: a volunteer or their staff
 * issue one for a period, anyone with its number and verification code checks
 * it against the ledger, and a correction made afterwards shows.
 */
describe.each(STORAGE_BACKENDS)('certificates ($name)', (backend) => {
  let dir: string;
  let env: Record<string, string>;
  let app: HaitangProcess;
  let staff: ReturnType<typeof client>;
  let self: ReturnType<typeof client>;
  let anyone: ReturnType<typeof client>;
  const ids: Record<string, string> = {};
  const now = Date.now();
  const today = shanghaiDay(now);
  const from = shanghaiDay(now - 20 * DAY);
  const year = shanghaiDay(now).slice(0, 4);

  const must = async (answer: Promise<Answer>) => {
    const a = await answer;
    if (a.status >= 300) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const record = (days: number, minutes: number, category: string) => ({
    volunteerId: ids.volunteer, orgUnitId: ids.community, category, serviceDate: shanghaiDay(now - days * DAY), minutes, description: '教老人用智能手机',
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-certificates-'));
    // Info: the access log is checked for the verification codes.
    env = { ...(await backend.prepare()), LOG_LEVEL: 'info' };
    app = await startHaitang(dir, env);
    const admin = client(app.baseUrl, app.token);
    anyone = client(app.baseUrl);
    ids.district = (await must(admin.post('/org-units', { kind: 'district', name: '相城区' }))).id;
    ids.street = (await must(admin.post('/org-units', { kind: 'street', name: '元和街道', parentId: ids.district }))).id;
    ids.community = (await must(admin.post('/org-units', { kind: 'community', name: '庆元家园社区', parentId: ids.street }))).id;
    ids.elsewhere = (await must(admin.post('/org-units', { kind: 'community', name: '富元社区', parentId: ids.street }))).id;
    for (const [username, role, orgUnitId] of [['staff-qy', 'staff', ids.community], ['staff-fy', 'staff', ids.elsewhere], ['official-yh', 'official', ids.street]]) {
      await must(admin.post('/accounts', { username, role, orgUnitId, password: PASSWORD }));
    }
    staff = client(app.baseUrl, await signIn(app.baseUrl, 'staff-qy', PASSWORD));
    ids.volunteer = (await must(staff.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '李阿姨', senior: true }))).id;
    ids.other = (await must(staff.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小周' }))).id;
    await must(staff.post('/accounts', { username: 'li-ayi', role: 'volunteer', volunteerId: ids.volunteer, password: PASSWORD }));
    self = client(app.baseUrl, await signIn(app.baseUrl, 'li-ayi', PASSWORD));

    // In the period: 90 + 60 approved minutes, and a pending self-report (not certified). Before it: 45.
    ids.phoneClass = (await must(staff.post('/service-records', record(3, 90, 'digital-inclusion')))).id;
    ids.cleanup = (await must(staff.post('/service-records', record(10, 60, 'environment')))).id;
    await must(staff.post('/service-records', record(40, 45, 'environment')));
    await must(self.post(`/volunteers/${ids.volunteer}/service-reports`, { orgUnitId: ids.community, category: 'errand-escort', serviceDate: shanghaiDay(now - DAY), minutes: 30, description: '陪邻居去医院' }));
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let first: { number: string; verificationCode: string; position: number };

  it('are issued to the volunteer, numbered in the year, with a code and where to verify them', async () => {
    const answer = await self.post(`/volunteers/${ids.volunteer}/certificates`, { from, to: today }, { 'idempotency-key': 'cert-1' });
    expect(answer.status).toBe(201);
    first = answer.body;
    expect(first).toMatchObject({ id: `${year}-000001`, number: `${year}-000001`, verificationCode: expect.stringMatching(/^[2-9A-HJKMNP-Z]{8}$/), position: expect.any(Number) });
    expect(answer.headers.get('location')).toBe(`/api/v1/certificates/${first.number}?code=${first.verificationCode}`);

    // A repeat answers the same certificate; the same key for another period is refused.
    const again = await self.post(`/volunteers/${ids.volunteer}/certificates`, { from, to: today }, { 'idempotency-key': 'cert-1' });
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([201, first, 'true']);
    const reused = await self.post(`/volunteers/${ids.volunteer}/certificates`, { from: today, to: today }, { 'idempotency-key': 'cert-1' });
    expect([reused.status, reused.body.code]).toEqual([422, 'idempotency-key-reused']);

    // Staff of the volunteer's community issue the next one.
    expect((await must(staff.post(`/volunteers/${ids.volunteer}/certificates`, { from, to: today }))).number).toBe(`${year}-000002`);
  });

  it('are verified by anyone with the number and code: what they state, and the ledger now', async () => {
    const answer = await anyone.get(`/certificates/${first.number}?code=${first.verificationCode}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      number: first.number,
      volunteer: { displayName: '李阿姨', homeOrgUnitName: '庆元家园社区' },
      from, to: today,
      issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      certified: { approvedMinutes: 150, approvedHours: 2.5, byCategory: { 'digital-inclusion': 90, environment: 60 }, records: 2 },
      ledgerNow: { approvedMinutes: 150, approvedHours: 2.5, byCategory: { 'digital-inclusion': 90, environment: 60 }, records: 2 },
      matchesLedger: true,
      checkedAtPosition: expect.any(Number),
    });
    // Typed from paper in lower case, it is the same code.
    const typed = await anyone.get(`/certificates/${first.number}?code=${first.verificationCode.toLowerCase()}`);
    expect([typed.status, typed.body.number]).toEqual([200, first.number]);
    // The access log has the requests (written by the logger's own thread: a moment later), but not the code that opens the certificate.
    const line = `"url":"/api/v1/certificates/${first.number}?code=…"`;
    for (let i = 0; i < 40 && !app.output().includes(line); i++) await new Promise((r) => setTimeout(r, 50));
    expect(app.output()).toContain(line);
    expect(app.output().toUpperCase()).not.toContain(first.verificationCode);
  });

  it('show a correction made after they were issued', async () => {
    const amended = await must(staff.post(`/service-records/${ids.cleanup}/amendments`, { minutes: 30, reason: '核对签到表后更正' }));
    const answer = await anyone.get(`/certificates/${first.number}?code=${first.verificationCode}&minPosition=${amended.position}`);
    // minPosition is not a parameter of this public route: it is refused, not ignored.
    expect([answer.status, answer.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/problem+json')]);
    let body: any;
    for (let i = 0; i < 50 && body?.matchesLedger !== false; i++) {
      body = (await anyone.get(`/certificates/${first.number}?code=${first.verificationCode}`)).body;
      if (body.matchesLedger !== false) await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toMatchObject({
      certified: { approvedMinutes: 150, byCategory: { 'digital-inclusion': 90, environment: 60 } },
      ledgerNow: { approvedMinutes: 120, byCategory: { 'digital-inclusion': 90, environment: 30 } },
      matchesLedger: false,
    });
  });

  it('are listed for the volunteer and their staff, and shown in the unit’s audit trail with who issued them', async () => {
    const mine = await self.get(`/volunteers/${ids.volunteer}/certificates`);
    expect(mine.status).toBe(200);
    expect(mine.body.certificates.map((c: { number: string }) => c.number)).toEqual([`${year}-000002`, `${year}-000001`]);
    expect(mine.body.certificates[1]).toEqual({
      number: first.number, verificationCode: first.verificationCode, from, to: today, approvedMinutes: 150, approvedHours: 2.5, issuedAt: expect.any(String),
    });
    expect((await staff.get(`/volunteers/${ids.volunteer}/certificates`)).body).toEqual(mine.body);
    expect((await self.get(`/volunteers/${ids.other}/certificates`)).status).toBe(403);
    const foreign = client(app.baseUrl, await signIn(app.baseUrl, 'staff-fy', PASSWORD));
    expect((await foreign.get(`/volunteers/${ids.volunteer}/certificates`)).status).toBe(403);

    const trail = (await staff.get(`/audit?orgUnitId=${ids.community}&limit=500`)).body.entries as { type: string; actor: { username?: string } | null; data: { number?: string } }[];
    const issued = trail.filter((e) => e.type === 'CertificateIssued.v1');
    expect(issued.map((e) => [e.data.number, e.actor?.username])).toEqual([[`${year}-000001`, 'li-ayi'], [`${year}-000002`, 'staff-qy']]);
  });

  it('reveal nothing to a wrong code or a guessed number, and refuse malformed ones with 400', async () => {
    const wrongCode = first.verificationCode === 'ABCDEFGH' ? 'HGFEDCBA' : 'ABCDEFGH';
    const wrong = await anyone.get(`/certificates/${first.number}?code=${wrongCode}`);
    const unknown = await anyone.get(`/certificates/${year}-000099?code=${first.verificationCode}`);
    expect([wrong.status, wrong.body.code]).toEqual([404, 'certificate-not-found']);
    const { instance: _w, ...wrongBody } = wrong.body;
    const { instance: _u, ...unknownBody } = unknown.body;
    expect(unknownBody).toEqual(wrongBody);
    for (const path of [`/certificates/${first.number}`, `/certificates/${first.number}?code=abc`, `/certificates/2026-42?code=${first.verificationCode}`, `/certificates/${year}-000000?code=${first.verificationCode}`]) {
      const bad = await anyone.get(path);
      expect([path, bad.status, bad.headers.get('content-type')]).toEqual([path, 400, expect.stringContaining('application/problem+json')]);
    }
  });

  it('are refused, with nothing recorded, for a period without approved service, a bad period, someone else, or an unknown volunteer', async () => {
    const head = await anyone.call('GET', '/health');
    expect(head.status).toBe(200);
    const before = await client(app.baseUrl, app.token).head();
    const post = (who: ReturnType<typeof client>, volunteerId: string, body: unknown) => who.post(`/volunteers/${volunteerId}/certificates`, body);
    const refusals: [string, Promise<Answer>, number, string?][] = [
      ['no approved service', post(staff, ids.other, { from, to: today }), 422, 'no-approved-service'],
      ['only a pending self-report', post(self, ids.volunteer, { from: shanghaiDay(now - DAY), to: today }), 422, 'no-approved-service'],
      ['ends tomorrow', post(self, ids.volunteer, { from, to: shanghaiDay(now + DAY) }), 422, 'period-in-future'],
      ['reversed', post(self, ids.volunteer, { from: today, to: from }), 422, 'period-reversed'],
      ['no such day', post(self, ids.volunteer, { from: '2026-02-30', to: today }), 422, 'date-invalid'],
      ['not a date', post(self, ids.volunteer, { from: '26-1-1', to: today }), 400],
      ['missing to', post(self, ids.volunteer, { from }), 400],
      ['unknown volunteer', post(client(app.baseUrl, app.token), '00000000-0000-4000-8000-000000000000', { from, to: today }), 404],
      ['another volunteer', post(self, ids.other, { from, to: today }), 403],
      ['staff of another community', post(client(app.baseUrl, await signIn(app.baseUrl, 'staff-fy', PASSWORD)), ids.volunteer, { from, to: today }), 403],
      ['an official', post(client(app.baseUrl, await signIn(app.baseUrl, 'official-yh', PASSWORD)), ids.volunteer, { from, to: today }), 403],
      ['signed out', post(anyone, ids.volunteer, { from, to: today }), 401],
    ];
    for (const [why, answer, status, code] of refusals) {
      const a = await answer;
      expect([why, a.status, a.headers.get('content-type')]).toEqual([why, status, expect.stringContaining('application/problem+json')]);
      if (code) expect([why, a.body.code]).toEqual([why, code]);
    }
    expect(await client(app.baseUrl, app.token).head()).toBe(before);
  });

  it('get distinct, consecutive numbers when issued at the same moment, and stay verifiable after a restart', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => must(staff.post(`/volunteers/${ids.volunteer}/certificates`, { from, to: today }))));
    const numbers = answers.map((a) => a.number).sort();
    expect(numbers).toEqual(Array.from({ length: 6 }, (_, i) => `${year}-${String(3 + i).padStart(6, '0')}`));

    await app.stop();
    app = await startHaitang(dir, env, { token: app.token });
    const last = answers.find((a) => a.number === numbers[5]);
    const verified = await client(app.baseUrl).get(`/certificates/${last.number}?code=${last.verificationCode}`);
    expect([verified.status, verified.body.certified.approvedMinutes, verified.body.matchesLedger]).toEqual([200, 120, true]);

    // Erasing the volunteer's personal data leaves the certificate as it was: it never held any.
    const staffNow = client(app.baseUrl, await signIn(app.baseUrl, 'staff-qy', PASSWORD));
    expect((await staffNow.call('DELETE', `/api/v1/volunteers/${ids.volunteer}/personal-data`, { reason: '本人申请' })).status).toBe(200);
    const afterErasure = await client(app.baseUrl).get(`/certificates/${last.number}?code=${last.verificationCode}`);
    const { checkedAtPosition: _before, ...certificate } = verified.body;
    const { checkedAtPosition: _after, ...certificateAfter } = afterErasure.body;
    expect(certificateAfter).toEqual(certificate);
  });
});
