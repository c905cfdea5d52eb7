import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, startHaitang } from './support/haitang-process';

/**
 * "Records are due within 10 working days" over HTTP, with a site's own
 * holiday file (HAITANG_HOLIDAYS_FILE): every answer that shows a due date or
 * an overdue flag (an activity, the activity list, a unit's dashboard) counts
 * by it. The file replaces 2025 with a schedule in which 4–14 March are days
 * off, so an activity on Monday 3 March 2025 is due on Friday 28 March
 * (17–21, 24–28) instead of Monday 17 March (4–7, 10–14, 17).
 */
describe('working days from the site’s holiday file', () => {
  const dirs: string[] = [];
  let app: HaitangProcess;
  let api: ReturnType<typeof client>;
  let key = 0;
  let position = 0;
  const ids: Record<string, string> = {};

  const post = async (path: string, body: unknown) => {
    const answer = await api.post(path, body, { 'idempotency-key': `holidays-${++key}` });
    if (answer.status >= 300) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    position = Math.max(position, answer.body.position);
    return answer.body;
  };
  const get = async (path: string) => {
    const answer = await api.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-holidays-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    const dir = tempDir();
    const file = join(dir, 'holidays.json');
    writeFileSync(file, JSON.stringify({ 2025: { daysOff: [['2025-03-04', '2025-03-14']], workdays: [] } }));
    app = await startHaitang(join(dir, 'data'), { HAITANG_HOLIDAYS_FILE: file });
    api = client(app.baseUrl, app.token);
    ids.district = (await post('/org-units', { kind: 'district', name: '测试区' })).id;
    ids.street = (await post('/org-units', { kind: 'street', name: '甲街道', parentId: ids.district })).id;
    ids.community = (await post('/org-units', { kind: 'community', name: '一号社区', parentId: ids.street })).id;
    // 09:00–11:00 Shanghai, never recorded: overdue now.
    ids.activity = (await post('/activities', {
      orgUnitId: ids.community, title: '三月楼道清理', category: 'environment', location: '一号楼', startsAt: '2025-03-03T01:00:00.000Z', endsAt: '2025-03-03T03:00:00.000Z',
    })).id;
  });

  afterAll(async () => {
    await app?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('an activity, the activity list and the dashboard give the due date the file makes', async () => {
    expect(await get(`/activities/${ids.activity}`)).toMatchObject({ recordsDueBy: '2025-03-28', overdue: true });
    const listed = await get(`/activities?orgUnitId=${ids.district}&status=overdue`);
    expect(listed.activities.map((a: { activityId: string; recordsDueBy: string }) => [a.activityId, a.recordsDueBy])).toEqual([[ids.activity, '2025-03-28']]);
    const dashboard = await get(`/org-units/${ids.street}/dashboard?period=2025-03`);
    expect(dashboard.overdueActivities.map((a: { activityId: string; recordsDueBy: string }) => [a.activityId, a.recordsDueBy])).toEqual([[ids.activity, '2025-03-28']]);
  });

  it('refuses to start with a holiday file it cannot read, saying where the mistake is', async () => {
    const dir = tempDir();
    const file = join(dir, 'holidays.json');
    writeFileSync(file, JSON.stringify({ 2027: { daysOff: [['2027-02-13', '2027-02-05']], workdays: [] } }));
    await expect(startHaitang(join(dir, 'data'), { HAITANG_HOLIDAYS_FILE: file })).rejects.toThrow(`HAITANG_HOLIDAYS_FILE ${file}: 2027.daysOff[0] ends before it starts`);
  });
});
