import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, signIn, startHaitang, TEST_ADMIN } from './support/haitang-process';

const PASSWORD = 'disabling-test-password';

/**
 * Someone leaves: staff disable their account. It can no longer sign in, and
 * the token it already holds is refused at once; enabled again, it works.
 */
describe('accounts: disabling and enabling', () => {
  let dir: string;
  let app: HaitangProcess;
  let admin: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-disabling-'));
    app = await startHaitang(dir);
    admin = client(app.baseUrl, app.token);
    ids.community = (await admin.post('/org-units', { kind: 'district', name: '姑苏区' })).body.id;
    ids.elsewhere = (await admin.post('/org-units', { kind: 'district', name: '相城区' })).body.id;
    for (const [username, orgUnitId] of [['staff-gs', ids.community], ['staff-gs2', ids.community], ['staff-xc', ids.elsewhere]]) {
      expect((await admin.post('/accounts', { username, role: 'staff', orgUnitId, password: PASSWORD })).status).toBe(201);
    }
    staff = client(app.baseUrl, await signIn(app.baseUrl, 'staff-gs', PASSWORD));
    ids.volunteer = (await staff.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小李' })).body.id;
    expect((await staff.post('/accounts', { username: 'xiao-li', role: 'volunteer', volunteerId: ids.volunteer, password: PASSWORD })).status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a disabled account’s sign-in and its tokens at once, says so only to whoever knows the password, and takes it back when enabled', async () => {
    const colleague = client(app.baseUrl, await signIn(app.baseUrl, 'staff-gs2', PASSWORD));
    expect((await colleague.get(`/volunteers/${ids.volunteer}/hours`)).status).toBe(200);

    const disabled = await staff.post('/accounts/staff-gs2/disabling');
    expect([disabled.status, disabled.body.username, typeof disabled.body.disabledAt]).toEqual([200, 'staff-gs2', 'string']);
    // Its token is refused on the next request, writes included, with nothing recorded.
    const head = await admin.head();
    for (const answer of [await colleague.get(`/volunteers/${ids.volunteer}/hours`), await colleague.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小王' })]) {
      expect([answer.status, answer.body.code, answer.headers.get('content-type')]).toEqual([401, 'account-disabled', expect.stringContaining('application/problem+json')]);
    }
    expect(await admin.head()).toBe(head);
    // Signing in: the right password hears that the account is disabled; a wrong one hears what any wrong password hears.
    const right = await client(app.baseUrl).post('/sessions', { username: 'staff-gs2', password: PASSWORD });
    expect([right.status, right.body.code]).toEqual([401, 'account-disabled']);
    const wrong = await client(app.baseUrl).post('/sessions', { username: 'staff-gs2', password: 'not-the-password' });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'invalid-credentials']);
    // The list says so; disabling again keeps the first time.
    const listed = (await staff.get(`/accounts?orgUnitId=${ids.community}`)).body.accounts.find((a: { username: string }) => a.username === 'staff-gs2');
    expect(listed.disabledAt).toBe(disabled.body.disabledAt);
    expect((await staff.post('/accounts/staff-gs2/disabling')).body.disabledAt).toBe(disabled.body.disabledAt);

    const enabled = await staff.post('/accounts/staff-gs2/enabling');
    expect([enabled.status, enabled.body.disabledAt]).toEqual([200, null]);
    expect((await colleague.get(`/volunteers/${ids.volunteer}/hours`)).status).toBe(200);
    expect((await client(app.baseUrl).post('/sessions', { username: 'staff-gs2', password: PASSWORD })).status).toBe(201);
  });

  it('lets staff disable a volunteer’s account of their unit, not another unit’s, nor their own', async () => {
    const volunteer = client(app.baseUrl, await signIn(app.baseUrl, 'xiao-li', PASSWORD));
    expect((await volunteer.get(`/volunteers/${ids.volunteer}/hours`)).status).toBe(200);
    expect((await staff.post('/accounts/xiao-li/disabling')).status).toBe(200);
    expect((await volunteer.get(`/volunteers/${ids.volunteer}/hours`)).body.code).toBe('account-disabled');

    const foreign = client(app.baseUrl, await signIn(app.baseUrl, 'staff-xc', PASSWORD));
    expect((await foreign.post('/accounts/xiao-li/enabling')).status).toBe(403);
    expect((await foreign.post('/accounts/staff-gs/disabling')).status).toBe(403);
    const self = await staff.post('/accounts/staff-gs/disabling');
    expect([self.status, self.body.code]).toEqual([409, 'cannot-disable-self']);
    expect((await admin.post('/accounts/nobody-here/disabling')).status).toBe(404);
    // An admin may disable staff anywhere; staff cannot touch an admin.
    expect((await admin.post('/accounts/staff-xc/disabling')).status).toBe(200);
    expect((await foreign.get('/org-units')).body.code).toBe('account-disabled');
    expect((await staff.post(`/accounts/${TEST_ADMIN.username}/disabling`)).status).toBe(403);
  });

  it('leaves an account an admin disabled to admins, and an erased volunteer’s tokens refused too', async () => {
    const colleague = client(app.baseUrl, await signIn(app.baseUrl, 'staff-gs2', PASSWORD));
    expect((await admin.post('/accounts/staff-gs2/disabling')).status).toBe(200);
    const undo = await staff.post('/accounts/staff-gs2/enabling');
    expect([undo.status, undo.body.code]).toEqual([403, 'disabled-by-admin']);
    expect((await colleague.get('/org-units')).body.code).toBe('account-disabled');
    expect((await admin.post('/accounts/staff-gs2/enabling')).status).toBe(200);
    expect((await colleague.get('/org-units')).status).toBe(200);
    // Disabled by staff, then by an admin too: from then on it is the admin's to undo.
    expect((await staff.post('/accounts/staff-gs2/disabling')).status).toBe(200);
    expect((await admin.post('/accounts/staff-gs2/disabling')).status).toBe(200);
    expect((await staff.post('/accounts/staff-gs2/enabling')).body.code).toBe('disabled-by-admin');
    expect((await admin.post('/accounts/staff-gs2/enabling')).status).toBe(200);

    // Erasure removes the volunteer's accounts; a token one of them still holds is refused from the next
    // reading of the disabled accounts on (within 5 s: the ledger's erasure does not tell the access check).
    ids.erased = (await staff.post('/volunteers', { homeOrgUnitId: ids.community, displayName: '小赵' })).body.id;
    expect((await staff.post('/accounts', { username: 'xiao-zhao', role: 'volunteer', volunteerId: ids.erased, password: PASSWORD })).status).toBe(201);
    const erased = client(app.baseUrl, await signIn(app.baseUrl, 'xiao-zhao', PASSWORD));
    expect((await erased.get(`/volunteers/${ids.erased}/hours`)).status).toBe(200);
    expect((await staff.call('DELETE', `/api/v1/volunteers/${ids.erased}/personal-data`, { reason: '本人申请' })).status).toBe(200);
    let code: string | undefined;
    for (let i = 0; i < 35 && code !== 'account-disabled'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      code = (await erased.get(`/volunteers/${ids.erased}/hours`)).body.code;
    }
    expect(code).toBe('account-disabled');
  });

  it('signs a token out: refused from then on, the account’s other tokens still accepted, and the account can sign in again', async () => {
    expect((await admin.post('/accounts', { username: 'staff-xc-pc', role: 'staff', orgUnitId: ids.elsewhere, password: PASSWORD })).status).toBe(201);
    const [shared, phone] = [await signIn(app.baseUrl, 'staff-xc-pc', PASSWORD), await signIn(app.baseUrl, 'staff-xc-pc', PASSWORD)];
    const onSharedPc = client(app.baseUrl, shared);
    expect((await onSharedPc.get('/sessions/current')).status).toBe(200);
    const out = await onSharedPc.call('DELETE', '/api/v1/sessions/current');
    expect([out.status, out.body.signedOut]).toEqual([200, true]);
    const head = await admin.head();
    for (const answer of [await onSharedPc.get('/sessions/current'), await onSharedPc.post('/volunteers', { homeOrgUnitId: ids.elsewhere, displayName: '小赵' })]) {
      expect([answer.status, answer.body.code, answer.headers.get('www-authenticate')]).toEqual([401, 'token-signed-out', expect.stringContaining('invalid_token')]);
    }
    expect(await admin.head()).toBe(head);
    // Signing out again with that token: refused like any other request of it (401), nothing else changes.
    expect((await onSharedPc.call('DELETE', '/api/v1/sessions/current')).status).toBe(401);
    expect((await client(app.baseUrl, phone).get('/sessions/current')).status).toBe(200);
    expect((await client(app.baseUrl, await signIn(app.baseUrl, 'staff-xc-pc', PASSWORD)).get('/sessions/current')).status).toBe(200);
    ids.signedOut = shared;
  });

  it('keeps accounts disabled, and tokens signed out, across a restart', async () => {
    await app.stop();
    app = await startHaitang(dir, {}, { token: app.token });
    const again = await client(app.baseUrl).post('/sessions', { username: 'xiao-li', password: PASSWORD });
    expect([again.status, again.body.code]).toEqual([401, 'account-disabled']);
    const signedOut = await client(app.baseUrl, ids.signedOut).get('/sessions/current');
    expect([signedOut.status, signedOut.body.code]).toEqual([401, 'token-signed-out']);
  });
});
