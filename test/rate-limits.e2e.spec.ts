import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, client, type HaitangProcess, signIn, startHaitang } from './support/haitang-process';

const PASSWORD = 'rate-limit-password';

/** A 429 problem+json with a Retry-After, of the given code. */
const limited = (a: Answer, code: string) => ({
  status: a.status, code: a.body?.code, type: a.headers.get('content-type'), retryAfter: Number(a.headers.get('retry-after')) > 0,
});
const expected429 = (code: string) => ({ status: 429, code, type: 'application/problem+json; charset=utf-8', retryAfter: true });

async function signInAnswer(baseUrl: string, username: string, password: string): Promise<Answer> {
  return client(baseUrl).post('/sessions', { username, password });
}

describe('rate limits: sign-in per username and per address', () => {
  let dir: string;
  let app: HaitangProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-limits-'));
    app = await startHaitang(dir, { HAITANG_SIGNIN_RATE_LIMIT: '3', HAITANG_SIGNIN_RATE_LIMIT_PER_IP: '12' });
    expect((await client(app.baseUrl, app.token).post('/accounts', { username: 'wang.li', role: 'admin', password: PASSWORD })).status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a username try 3 times, then answers 429 even to the right password; other usernames go on', async () => {
    for (let i = 0; i < 3; i++) expect((await signInAnswer(app.baseUrl, 'wang.li', `guess-${i}-wrong`)).status).toBe(401);
    expect(limited(await signInAnswer(app.baseUrl, 'wang.li', PASSWORD), 'too-many-sign-ins')).toEqual(expected429('too-many-sign-ins'));
    // The same username in other letter cases is the same username.
    expect((await signInAnswer(app.baseUrl, 'WANG.LI', PASSWORD)).status).toBe(429);
    expect(await signIn(app.baseUrl, 'test-admin', 'test-admin-password')).toEqual(expect.any(String));
  });

  it('stops every sign-in from an address that tried too often, whatever the usernames', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signInAnswer(app.baseUrl, `nobody-${i}`, 'whatever-password')).status);
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 401)).toBe(true);
    expect(limited(await signInAnswer(app.baseUrl, 'test-admin', 'test-admin-password'), 'too-many-sign-ins')).toEqual(expected429('too-many-sign-ins'));
    // A token already held keeps working: the limit is on signing in.
    expect((await client(app.baseUrl, app.token).get('/sessions/current')).status).toBe(200);
  });
});

describe('rate limits: writes per account and per address', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: ReturnType<typeof client>;
  let unit: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-limits-'));
    app = await startHaitang(dir, { HAITANG_WRITE_RATE_LIMIT: '4', HAITANG_WRITE_RATE_LIMIT_PER_IP: '12' });
    admin = client(app.baseUrl, app.token);
    unit = (await admin.post('/org-units', { kind: 'district', name: '姑苏区' })).body.id;
    for (const username of ['staff-a', 'staff-b']) {
      expect((await admin.post('/accounts', { username, role: 'staff', orgUnitId: unit, password: PASSWORD })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const head = async () => (await admin.get('/events?limit=1')).body.head as number;
  const rename = (who: ReturnType<typeof client>, n: number) => who.post(`/org-units/${unit}/renaming`, { name: `姑苏区${n}` });

  it('answers 429 once an account wrote too often in a minute, recording nothing; another account and reads go on, until the address is over its limit', async () => {
    const a = client(app.baseUrl, await signIn(app.baseUrl, 'staff-a', PASSWORD));
    const b = client(app.baseUrl, await signIn(app.baseUrl, 'staff-b', PASSWORD));
    for (let i = 0; i < 4; i++) expect((await rename(a, i)).status).toBe(200);
    const before = await head();
    const refused = await rename(a, 99);
    expect(limited(refused, 'too-many-writes')).toEqual(expected429('too-many-writes'));
    expect(await head()).toBe(before);
    expect((await a.get(`/org-units/${unit}`)).status).toBe(200);

    // Same address, another account: its own allowance, until the address has sent 12 writes this minute.
    expect((await rename(b, 100)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 8 && !statuses.includes(429); i++) statuses.push((await rename(b, 101 + i)).status);
    expect(statuses[statuses.length - 1]).toBe(429);
    const headNow = await head();
    expect(limited(await rename(b, 200), 'too-many-writes')).toEqual(expected429('too-many-writes'));
    expect(await head()).toBe(headNow);
  });
});

describe('rate limits: certificate verifications per address', () => {
  let dir: string;
  let app: HaitangProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-limits-verify-'));
    app = await startHaitang(dir, { HAITANG_VERIFY_RATE_LIMIT_PER_IP: '3' });
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 429 once an address checked too many certificate codes in a minute; signed-in reads go on', async () => {
    const anyone = client(app.baseUrl);
    // HEAD counts too: its status alone would tell a right code from a wrong one.
    expect((await anyone.call('HEAD', '/api/v1/certificates/2026-000001?code=ABCDEFGH')).status).toBe(404);
    for (let i = 1; i < 3; i++) expect((await anyone.get(`/certificates/2026-00000${i + 1}?code=ABCDEFGH`)).status).toBe(404);
    expect(limited(await anyone.get('/certificates/2026-000009?code=ABCDEFGH'), 'too-many-verifications')).toEqual(expected429('too-many-verifications'));
    expect((await anyone.call('HEAD', '/api/v1/certificates/2026-000009?code=ABCDEFGH')).status).toBe(429);
    expect((await client(app.baseUrl, app.token).get('/org-units')).status).toBe(200);
  });
});
