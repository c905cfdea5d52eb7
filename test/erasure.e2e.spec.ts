import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, signIn, startHaitang } from './support/haitang-process';

/** An 18-digit resident ID number with its real check digit (GB 11643-1999). */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

const REAL_NAME = '欧阳棠梨';
const PHONE = '13962170831';
const ID_NUMBER = residentId('32050819861127451');
const SECRETS = [REAL_NAME, PHONE, ID_NUMBER];
const PASSWORD = 'erasure-test-password';
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/** Every file under a directory, with its bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ file: name, bytes: readFileSync(path) }];
  });
}

/** Where any of the values occurs (as UTF-8 or UTF-16), e.g. "events.sqlite-wal: 13962170831". */
function findings(sources: { file: string; bytes: Buffer }[], values: readonly string[]): string[] {
  return sources.flatMap(({ file, bytes }) => values
    .filter((v) => bytes.includes(Buffer.from(v, 'utf8')) || bytes.includes(Buffer.from(v, 'utf16le')))
    .map((v) => `${file}: ${v}`));
}

const withoutPosition = (body: Record<string, unknown>) => {
  const { projectedPosition: _p, ...rest } = body;
  return rest;
};

describe('erasure: afterwards no stored byte reveals the personal data, while hours and reports stay', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  let official: ReturnType<typeof client>;
  let position = 0;
  const ids: Record<string, string> = {};

  const must = async (answer: Promise<{ status: number; body: any }>) => {
    const a = await answer;
    if (a.status >= 300) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    position = Math.max(position, a.body.position ?? 0);
    return a.body;
  };
  const read = async (who: ReturnType<typeof client>, path: string) => {
    const a = await who.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`);
    expect([path, a.status]).toEqual([path, 200]);
    return a.body;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-erasure-'));
    // Everything logged, request lines included: the logs are scanned too.
    app = await startHaitang(dir, { LOG_LEVEL: 'debug', HAITANG_LOG_REQUESTS: 'true' });
    admin = client(app.baseUrl, app.token);
    ids.district = (await must(admin.post('/org-units', { kind: 'district', name: '姑苏区' }))).id;
    ids.street = (await must(admin.post('/org-units', { kind: 'street', name: '金阊街道', parentId: ids.district }))).id;
    ids.community = (await must(admin.post('/org-units', { kind: 'community', name: '桃花坞社区', parentId: ids.street }))).id;
    ids.elsewhere = (await must(admin.post('/org-units', { kind: 'district', name: '相城区' }))).id;
    for (const [username, role, orgUnitId] of [['staff-thw', 'staff', ids.community], ['official-gs', 'official', ids.district], ['staff-xc', 'staff', ids.elsewhere]]) {
      await must(admin.post('/accounts', { username, role, orgUnitId, password: PASSWORD }));
    }
    staff = client(app.baseUrl, await signIn(app.baseUrl, 'staff-thw', PASSWORD));
    official = client(app.baseUrl, await signIn(app.baseUrl, 'official-gs', PASSWORD));
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers, serves, records, erases, and leaves the figures as they were and the data nowhere', async () => {
    // 1. Staff register the volunteer with their personal data; a sign-in account is named by the phone number.
    ids.volunteer = (await must(staff.post('/volunteers', {
      homeOrgUnitId: ids.community, displayName: '小欧', realName: REAL_NAME, phone: PHONE, idNumber: ID_NUMBER, partyMember: true,
    }))).id;
    await must(staff.post('/accounts', { username: PHONE, role: 'volunteer', volunteerId: ids.volunteer, password: PASSWORD }));
    const self = client(app.baseUrl, await signIn(app.baseUrl, PHONE, PASSWORD));

    // 2. Full values only for staff of the unit and for the volunteer; masked for officials and admins.
    const full = { realName: REAL_NAME, phone: PHONE, idNumber: ID_NUMBER };
    const masked = { realName: '欧***', phone: '139****0831', idNumber: `3205**********${ID_NUMBER.slice(-4)}` };
    expect((await read(staff, `/volunteers/${ids.volunteer}`))).toMatchObject({ displayName: '小欧', personalData: full, personalDataShown: 'full' });
    expect((await read(self, `/volunteers/${ids.volunteer}`))).toMatchObject({ personalData: full, personalDataShown: 'full' });
    expect((await read(official, `/volunteers/${ids.volunteer}`))).toMatchObject({ personalData: masked, personalDataShown: 'masked' });
    expect((await read(admin, `/volunteers/${ids.volunteer}`))).toMatchObject({ personalData: masked, personalDataShown: 'masked' });
    const foreign = client(app.baseUrl, await signIn(app.baseUrl, 'staff-xc', PASSWORD));
    expect((await foreign.get(`/volunteers/${ids.volunteer}`)).status).toBe(403);

    // 3. Service: attendance at an activity, a staff entry, and a self-report approved by staff.
    const now = Date.now();
    ids.activity = (await must(staff.post('/activities', { orgUnitId: ids.community, title: '垃圾分类督导', category: 'garbage-sorting', location: '桃花坞大街', startsAt: iso(now - 180 * MIN), endsAt: iso(now - 60 * MIN) }))).id;
    await must(staff.post(`/activities/${ids.activity}/check-ins`, { volunteerId: ids.volunteer, at: iso(now - 185 * MIN) }));
    await must(staff.post(`/activities/${ids.activity}/check-outs`, { volunteerId: ids.volunteer, at: iso(now - 55 * MIN) }));
    await must(staff.post(`/activities/${ids.activity}/completion`, { beneficiaries: 40 }));
    await must(staff.post('/service-records', { volunteerId: ids.volunteer, orgUnitId: ids.community, category: 'elder-rides', serviceDate: shanghaiDay(now - 2 * 86_400_000), minutes: 75, description: '送老人去医院复诊' }));
    const report = await must(self.post(`/volunteers/${ids.volunteer}/service-reports`, { orgUnitId: ids.community, category: 'errand-escort', serviceDate: shanghaiDay(now - 86_400_000), minutes: 30, description: '帮独居老人取药' }));
    await must(staff.post(`/service-records/${report.id}/approval`));

    const month = shanghaiDay(now).slice(0, 7);
    const figures = async () => ({
      hours: withoutPosition(await read(staff, `/volunteers/${ids.volunteer}/hours`)),
      records: withoutPosition(await read(staff, `/volunteers/${ids.volunteer}/records`)),
      report: withoutPosition(await read(official, `/org-units/${ids.district}/report?from=${shanghaiDay(now - 30 * 86_400_000)}&to=${shanghaiDay(now)}&groupBy=category`)),
      dashboard: withoutPosition(await read(official, `/org-units/${ids.district}/dashboard?period=${month}`)),
    });
    const before = await figures();
    expect(before.hours).toMatchObject({ approvedMinutes: 120 + 75 + 30, pendingMinutes: 0 });

    // The volunteer's wrapped key as the vault stores it: after erasure it must be gone from every file too.
    const vault = new Database(join(dir, 'vault.sqlite'), { readonly: true, fileMustExist: true });
    const wrappedKey = (vault.prepare('SELECT wrapped_key FROM volunteer_keys WHERE volunteer_id = ?').get(ids.volunteer) as { wrapped_key: string }).wrapped_key;
    vault.close();
    // The scanner works: before erasure it finds the key, and the display name in the log.
    expect(findings(filesUnder(dir), [wrappedKey]).length).toBeGreaterThan(0);
    expect(findings(filesUnder(dir), ['小欧']).some((f) => f.startsWith('events.sqlite'))).toBe(true);

    // 4. Erase.
    await must(staff.call('DELETE', `/api/v1/volunteers/${ids.volunteer}/personal-data`, { reason: '本人申请注销个人信息' }, { 'idempotency-key': 'erase-1' }));
    expect(await read(staff, `/volunteers/${ids.volunteer}`)).toMatchObject({ displayName: '小欧', personalData: null, personalDataShown: 'none', personalDataErased: true });
    expect(await figures()).toEqual(before);
    // Their sign-in account went with it.
    expect((await client(app.baseUrl).post('/sessions', { username: PHONE, password: PASSWORD })).status).toBe(401);

    // 5. Nothing anywhere: every file of the data directory (log, read models, their -wal and -shm, vault,
    //    accounts, keys) and everything the process printed, while it runs and after it stopped.
    const secretsAndKey = [...SECRETS, wrappedKey];
    expect(findings([...filesUnder(dir), { file: 'process output', bytes: Buffer.from(app.output()) }], secretsAndKey)).toEqual([]);
    await app.stop();
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['accounts.sqlite', 'events.sqlite', 'readmodels.sqlite', 'vault.sqlite']));
    expect(findings([...filesUnder(dir), { file: 'process output', bytes: Buffer.from(app.output()) }], secretsAndKey)).toEqual([]);
  });
});
