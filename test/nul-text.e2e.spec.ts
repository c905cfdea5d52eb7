import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, startHaitang } from './support/haitang-process';
import { STORAGE_BACKENDS } from './support/storage-backends';

/**
 * A NUL character anywhere a client can put text (a body, the query string,
 * the path) is refused with 400 before anything runs. PostgreSQL cannot store
 * one: before this refusal, a NUL in a name answered 503 (as if the database
 * were down), in a username or an audit query 500.
 */
describe.each(STORAGE_BACKENDS)('text with a NUL character ($name)', (backend) => {
  let dir: string;
  let app: HaitangProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-nul-'));
    app = await startHaitang(dir, await backend.prepare());
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused as malformed text wherever it comes, and nothing is recorded', async () => {
    const api = client(app.baseUrl, app.token);
    const anonymous = client(app.baseUrl);
    const unit = (await api.post('/org-units', { kind: 'district', name: '姑苏区' })).body.id as string;
    const head = await api.head();
    const probes: [string, Promise<{ status: number; body: any }>][] = [
      ['a unit name', api.post('/org-units', { kind: 'district', name: '桃花坞\u0000社区' })],
      ['a volunteer name', api.post('/volunteers', { homeOrgUnitId: unit, displayName: '赵\u0000阿姨' })],
      ['a key of the body', api.post('/org-units', { kind: 'district', name: 'x', ['a\u0000']: 1 })],
      ['a username at sign-in', anonymous.post('/sessions', { username: 'wangli\u0000', password: 'whatever-it-is' })],
      ['an account name', api.post('/accounts', { username: 'wangli', role: 'staff', orgUnitId: unit, displayName: '王\u0000丽' })],
      ['a username in the path', api.post('/accounts/wang%00li/disabling')],
      ['a query value', api.get('/audit?actor=wang%00li')],
      ['a query value in a list', api.get(`/org-units/${unit}/volunteers?q=%E8%B5%B5%00`)],
    ];
    for (const [where, answer] of probes) {
      const { status, body } = await answer;
      expect([where, status, body?.code]).toEqual([where, 400, 'malformed-text']);
      expect(body.detail).toContain('NUL');
    }
    expect(await api.head()).toBe(head);
    // The same texts without the NUL go through.
    expect((await api.post('/org-units', { kind: 'district', name: '桃花坞社区' })).status).toBe(201);
  });
});
