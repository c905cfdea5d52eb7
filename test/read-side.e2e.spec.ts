import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, startHaitang } from './support/haitang-process';
import { STORAGE_BACKENDS } from './support/storage-backends';

/**
 * The read side over real HTTP against the built standalone process: a small
 * district is recorded through the POST routes (March and April 2025), then
 * hours, dashboards, activity views and district reports (JSON, CSV, Excel)
 * must show the figures worked out by hand below.
 *
 *   测试区 D ─┬─ 甲街道 S1 ─┬─ 一号社区 C1
 *            │             └─ 二号社区 C2
 *            └─ 乙镇 S2 ──── 三号社区 C3
 *
 * volunteers: pm 党员 (C1), sr 银发 (C2), cr 快递员 (C3), fd 外卖骑手 (S1),
 *             rh 网约车司机 + 党员 (C3), ot 其他 (D)
 */
describe.each(STORAGE_BACKENDS)('read side over HTTP: dashboards, district reports, CSV and Excel ($name)', (backend) => {
  let dir: string;
  let env: Record<string, string>;
  let app: HaitangProcess;
  let api: ReturnType<typeof client>;
  let key = 0;
  let position = 0;
  const ids: Record<string, string> = {};

  const post = async (path: string, body: unknown = {}) => {
    const answer = await api.post(path, body, { 'idempotency-key': `read-side-${++key}` });
    if (answer.status >= 300) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    position = Math.max(position, answer.body.position);
    return answer.body;
  };
  /** GET that waits for everything posted so far to be projected (read-your-writes). */
  const get = (path: string) => api.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`);
  const raw = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}/api/v1${path}${path.includes("?") ? "&" : "?"}minPosition=${position}`, { headers: { authorization: `Bearer ${app.token}`, ...headers } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-read-side-'));
    env = await backend.prepare();
    app = await startHaitang(dir, env);
    api = client(app.baseUrl, app.token);

    ids.D = (await post('/org-units', { kind: 'district', name: '测试区' })).id;
    ids.S1 = (await post('/org-units', { kind: 'street', name: '甲街道', parentId: ids.D })).id;
    ids.S2 = (await post('/org-units', { kind: 'town', name: '乙镇', parentId: ids.D })).id;
    ids.C1 = (await post('/org-units', { kind: 'community', name: '一号社区', parentId: ids.S1 })).id;
    ids.C2 = (await post('/org-units', { kind: 'community', name: '二号社区', parentId: ids.S1 })).id;
    ids.C3 = (await post('/org-units', { kind: 'community', name: '三号社区', parentId: ids.S2 })).id;

    ids.pm = (await post('/volunteers', { homeOrgUnitId: ids.C1, displayName: '党员老王', partyMember: true })).id;
    ids.sr = (await post('/volunteers', { homeOrgUnitId: ids.C2, displayName: '银发赵阿姨', senior: true })).id;
    ids.cr = (await post('/volunteers', { homeOrgUnitId: ids.C3, displayName: '快递小周', occupation: 'courier' })).id;
    ids.fd = (await post('/volunteers', { homeOrgUnitId: ids.S1, displayName: '外卖小吴', occupation: 'food-delivery' })).id;
    ids.rh = (await post('/volunteers', { homeOrgUnitId: ids.C3, displayName: '网约车陈师傅', occupation: 'ride-hailing', partyMember: true })).id;
    ids.ot = (await post('/volunteers', { homeOrgUnitId: ids.D, displayName: '居民小李' })).id;

    // A1 (C1, 10 March 2025, 09:00–11:00): pm 08:50–11:20 → 120 (clamped), sr 09:30–10:50 → 80, ot never checks out.
    ids.A1 = (await post('/activities', { orgUnitId: ids.C1, title: '玩转智能手机', category: 'digital-inclusion', location: '党群服务中心', startsAt: '2025-03-10T09:00:00+08:00', endsAt: '2025-03-10T11:00:00+08:00' })).id;
    const a1 = `/activities/${ids.A1}`;
    await post(`${a1}/enrollments`, { volunteerId: ids.pm });
    await post(`${a1}/enrollments`, { volunteerId: ids.sr });
    await post(`${a1}/check-ins`, { volunteerId: ids.pm, at: '2025-03-10T08:50:00+08:00' });
    await post(`${a1}/check-ins`, { volunteerId: ids.sr, at: '2025-03-10T09:30:00+08:00' });
    await post(`${a1}/check-ins`, { volunteerId: ids.ot, at: '2025-03-10T09:05:00+08:00' });
    await post(`${a1}/check-outs`, { volunteerId: ids.pm, at: '2025-03-10T11:20:00+08:00' });
    await post(`${a1}/check-outs`, { volunteerId: ids.sr, at: '2025-03-10T10:50:00+08:00' });
    const a1Done = await post(`${a1}/completion`, { beneficiaries: 20 });
    ids.srRecord = a1Done.credited.find((c: { volunteerId: string }) => c.volunteerId === ids.sr).recordId;
    await post(`/service-records/${ids.srRecord}/amendments`, { minutes: 90, reason: '按签到表更正为 90 分钟' });
    // ot forgot to check out: staff record 100 minutes by hand.
    await post('/service-records', { volunteerId: ids.ot, orgUnitId: ids.C1, category: 'digital-inclusion', serviceDate: '2025-03-10', minutes: 100, description: '漏签退补录', activityId: ids.A1 });

    // A2 (C3, 31 March 2025 23:00–23:50 Shanghai, still March): cr → 50, rh → 40.
    ids.A2 = (await post('/activities', { orgUnitId: ids.C3, title: '夜间环境整治', category: 'environment', location: '小区', startsAt: '2025-03-31T23:00:00+08:00', endsAt: '2025-03-31T23:50:00+08:00' })).id;
    await post(`/activities/${ids.A2}/check-ins`, { volunteerId: ids.cr, at: '2025-03-31T23:00:00+08:00' });
    await post(`/activities/${ids.A2}/check-ins`, { volunteerId: ids.rh, at: '2025-03-31T23:10:00+08:00' });
    await post(`/activities/${ids.A2}/check-outs`, { volunteerId: ids.cr, at: '2025-03-31T23:50:00+08:00' });
    await post(`/activities/${ids.A2}/check-outs`, { volunteerId: ids.rh, at: '2025-03-31T23:55:00+08:00' });
    await post(`/activities/${ids.A2}/completion`);

    // A3 (C2, 1 April 2025 00:30–02:30 Shanghai, i.e. 31 March in UTC: April): pm → 120.
    ids.A3 = (await post('/activities', { orgUnitId: ids.C2, title: '垃圾分类督导', category: 'garbage-sorting', location: '投放点', startsAt: '2025-03-31T16:30:00Z', endsAt: '2025-03-31T18:30:00Z' })).id;
    await post(`/activities/${ids.A3}/check-ins`, { volunteerId: ids.pm, at: '2025-03-31T16:30:00Z' });
    await post(`/activities/${ids.A3}/check-outs`, { volunteerId: ids.pm, at: '2025-03-31T18:30:00Z' });
    await post(`/activities/${ids.A3}/completion`);

    // A4 never completed and never recorded: overdue. A5 cancelled: not. A6 ended yesterday: not yet.
    ids.A4 = (await post('/activities', { orgUnitId: ids.C1, title: '反诈宣传', category: 'anti-fraud', location: '广场', startsAt: '2025-03-20T14:00:00+08:00', endsAt: '2025-03-20T16:00:00+08:00' })).id;
    await post(`/activities/${ids.A4}/enrollments`, { volunteerId: ids.pm });
    ids.A5 = (await post('/activities', { orgUnitId: ids.C2, title: '安全巡查', category: 'safety-patrol', location: '街巷', startsAt: '2025-03-21T14:00:00+08:00', endsAt: '2025-03-21T16:00:00+08:00' })).id;
    await post(`/activities/${ids.A5}/cancellation`, { reason: '暴雨' });
    const yesterday = Date.now() - 24 * 3600_000;
    ids.A6 = (await post('/activities', { orgUnitId: ids.C1, title: '楼道清理', category: 'environment', location: '楼道', startsAt: new Date(yesterday - 2 * 3600_000).toISOString(), endsAt: new Date(yesterday).toISOString() })).id;

    // Staff entries and self-reports, with their corrections.
    await post('/service-records', { volunteerId: ids.fd, orgUnitId: ids.S1, category: 'legal-aid', serviceDate: '2025-03-15', minutes: 45, description: '协助法律咨询登记' });
    await post('/service-records', { volunteerId: ids.ot, orgUnitId: ids.D, category: 'other', serviceDate: '2025-03-16', minutes: 30, description: '区级活动引导' });
    await post('/service-records', { volunteerId: ids.cr, orgUnitId: ids.C3, category: 'errand-escort', serviceDate: '2025-04-02', minutes: 60, description: '代取药品' });
    const revoked = await post('/service-records', { volunteerId: ids.pm, orgUnitId: ids.C2, category: 'public-opinion', serviceDate: '2025-03-05', minutes: 200, description: '走访' });
    await post(`/service-records/${revoked.id}/revocation`, { reason: '录入错误' });
    const approved = await post(`/volunteers/${ids.rh}/service-reports`, { orgUnitId: ids.C3, category: 'elder-rides', serviceDate: '2025-03-18', minutes: 70, description: '送老人复诊' });
    await post(`/service-records/${approved.id}/approval`);
    const rejected = await post(`/volunteers/${ids.rh}/service-reports`, { orgUnitId: ids.C3, category: 'elder-rides', serviceDate: '2025-03-19', minutes: 35, description: '重复申报' });
    await post(`/service-records/${rejected.id}/rejection`, { reason: '与 3 月 18 日重复' });
    await post(`/volunteers/${ids.sr}/service-reports`, { orgUnitId: ids.C2, category: 'errand-escort', serviceDate: '2025-03-25', minutes: 25, description: '跑腿代办' });
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the hierarchy: a unit with its path and children', async () => {
    const d = await get(`/org-units/${ids.D}`);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ orgUnitId: ids.D, name: '测试区', kind: 'district', path: [], descendantCount: 5 });
    expect(d.body.children.map((c: { name: string; childCount: number }) => [c.name, c.childCount])).toEqual([['甲街道', 2], ['乙镇', 1]]);
    const c3 = await get(`/org-units/${ids.C3}`);
    expect(c3.body.path.map((p: { name: string }) => p.name)).toEqual(['测试区', '乙镇']);
    expect((await get('/org-units')).body.orgUnits).toHaveLength(6);
  });

  it('answers a volunteer’s hours after corrections', async () => {
    const pm = await get(`/volunteers/${ids.pm}/hours`);
    expect(pm.body).toMatchObject({ approvedMinutes: 240, pendingMinutes: 0, byCategory: { 'digital-inclusion': 120, 'garbage-sorting': 120 } });
    const rh = await get(`/volunteers/${ids.rh}/hours`);
    expect(rh.body).toMatchObject({ approvedMinutes: 110, pendingMinutes: 0 });
    const sr = await get(`/volunteers/${ids.sr}/hours`);
    expect(sr.body).toMatchObject({ approvedMinutes: 90, pendingMinutes: 25 });
  });

  it('lists a volunteer’s records, each with its whole history of corrections and who made them', async () => {
    const sr = await get(`/volunteers/${ids.sr}/records`);
    expect(sr.status).toBe(200);
    expect(sr.body.records.map((r: { source: string; status: string; minutes: number; history: { type: string }[] }) =>
      [r.source, r.status, r.minutes, r.history.map((h) => h.type)])).toEqual([
      ['self-report', 'pending', 25, ['ServiceRecorded.v1']],
      ['attendance', 'approved', 90, ['ServiceRecorded.v1', 'ServiceAmended.v1']],
    ]);
    expect(sr.body.records[0]).toMatchObject({ description: '跑腿代办', activityTitle: null, location: null, orgUnitId: ids.C2, category: 'errand-escort' });
    expect(sr.body.records[1]).toMatchObject({ activityId: ids.A1, activityTitle: '玩转智能手机', location: '党群服务中心', orgUnitId: ids.C1, serviceDate: '2025-03-10' });
    const amendment = sr.body.records[1].history[1];
    expect(amendment).toMatchObject({ data: { previousMinutes: 80, minutes: 90, reason: '按签到表更正为 90 分钟' }, actor: { role: expect.any(String) } });
    expect(amendment.position).toBeLessThanOrEqual(sr.body.projectedPosition);
    expect((await get('/volunteers/00000000-0000-4000-8000-000000000000/records')).status).toBe(404);
  });

  it('shows an activity with its roster, missed check-out and credited minutes', async () => {
    const a1 = await get(`/activities/${ids.A1}`);
    expect(a1.status).toBe(200);
    expect(a1.body).toMatchObject({
      status: 'completed', beneficiaries: 20, overdue: false, creditedMinutes: 310, creditedHours: 5.2,
      attendance: { 'checked-out': 2, 'missed-check-out': 1, 'no-show': 0 },
    });
    const roster = Object.fromEntries(a1.body.roster.map((e: { volunteerId: string; attendance: string; record: { minutes: number } | null }) => [e.volunteerId, [e.attendance, e.record?.minutes]]));
    expect(roster).toEqual({ [ids.pm]: ['checked-out', 120], [ids.sr]: ['checked-out', 90], [ids.ot]: ['missed-check-out', 100] });
    expect(a1.body.missedCheckOuts).toEqual([expect.objectContaining({ volunteerId: ids.ot, displayName: '居民小李', record: expect.objectContaining({ source: 'staff', minutes: 100 }) })]);
    const a4 = await get(`/activities/${ids.A4}`);
    expect(a4.body).toMatchObject({ status: 'planned', overdue: true, recordsDueBy: '2025-04-03', creditedMinutes: 0, attendance: { 'no-show': 1 } });
    expect((await get(`/activities/${ids.A5}`)).body).toMatchObject({ status: 'cancelled', overdue: false, cancelReason: '暴雨' });
    expect((await get(`/activities/${ids.A6}`)).body).toMatchObject({ status: 'planned', overdue: false });
  });

  it('lists activities of a subtree by period and status', async () => {
    const listed = (answer: { body: { activities: { activityId: string }[] } }) => answer.body.activities.map((a) => a.activityId);
    expect(listed(await get(`/activities?orgUnitId=${ids.S1}&from=2025-03-01&to=2025-04-30`))).toEqual([ids.A3, ids.A5, ids.A4, ids.A1]);
    expect(listed(await get(`/activities?orgUnitId=${ids.D}&status=overdue`))).toEqual([ids.A4]);
    expect(listed(await get(`/activities?orgUnitId=${ids.S2}&status=completed`))).toEqual([ids.A2]);
    const page = await get(`/activities?orgUnitId=${ids.D}&limit=2`);
    expect(page.body).toMatchObject({ total: 6, limit: 2, offset: 0 });
    expect(listed(page)).toEqual([ids.A6, ids.A3]);
  });

  it('a district’s dashboard for March 2025 matches the figures worked out by hand', async () => {
    const d = await get(`/org-units/${ids.D}/dashboard?period=2025-03`);
    expect(d.status).toBe(200);
    // A1: pm 120 + sr 90 (amended) + ot 100 (by hand); A2: cr 50 + rh 40; fd 45 (S1 itself); ot 30 (D itself); rh 70 (approved).
    // Not counted: pm 200 (revoked), rh 35 (rejected), sr 25 (pending), A3's 120 (1 April in Shanghai).
    expect(d.body).toMatchObject({
      orgUnitId: ids.D, period: '2025-03', serviceMinutes: 545, serviceHours: 9.1, pendingMinutes: 25,
      activities: 2, activeVolunteers: 6, newVolunteers: 0,
      byGroup: {
        partyMember: { volunteers: 2, minutes: 230 }, senior: { volunteers: 1, minutes: 90 }, courier: { volunteers: 1, minutes: 50 },
        foodDelivery: { volunteers: 1, minutes: 45 }, rideHailing: { volunteers: 1, minutes: 110 },
      },
      overdueCount: 1,
    });
    expect(d.body.byCategory).toEqual({ 'digital-inclusion': 310, environment: 90, 'legal-aid': 45, other: 30, 'elder-rides': 70 });
    expect(d.body.topVolunteers.map((t: { volunteerId: string; minutes: number }) => [t.volunteerId, t.minutes]))
      .toEqual([[ids.ot, 130], [ids.pm, 120], [ids.rh, 110], [ids.sr, 90], [ids.cr, 50], [ids.fd, 45]]);
    expect(d.body.overdueActivities.map((a: { activityId: string }) => a.activityId)).toEqual([ids.A4]);

    expect((await get(`/org-units/${ids.S2}/dashboard?period=2025-03`)).body).toMatchObject({
      serviceMinutes: 160, activeVolunteers: 2, activities: 1, overdueCount: 0, byGroup: { partyMember: { volunteers: 1, minutes: 110 } },
    });
    expect((await get(`/org-units/${ids.C1}/dashboard?period=2025-03`)).body).toMatchObject({ serviceMinutes: 310, activeVolunteers: 3, activities: 1, overdueCount: 1 });
    expect((await get(`/org-units/${ids.C2}/dashboard?period=2025-04`)).body).toMatchObject({ serviceMinutes: 120, activities: 1, activeVolunteers: 1 });
  });

  it('counts new volunteers in the Shanghai month they were registered in', async () => {
    const registered = (await api.get(`/streams/volunteer-${ids.pm}`)).body.events[0].recordedAt as string;
    const period = new Date(Date.parse(registered) + 8 * 3600_000).toISOString().slice(0, 7);
    expect((await get(`/org-units/${ids.D}/dashboard?period=${period}`)).body.newVolunteers).toBe(6);
    expect((await get(`/org-units/${ids.S1}/dashboard?period=${period}`)).body.newVolunteers).toBe(3);
  });

  const RANGE = 'from=2025-03-01&to=2025-04-30';
  const figures = (rows: { key: string; serviceMinutes: number; activities: number; volunteers: number }[]) =>
    Object.fromEntries(rows.map((r) => [r.key, [r.serviceMinutes, r.activities, r.volunteers]]));

  it('the district report adds up for every grouping', async () => {
    const child = await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=child`);
    expect(child.status).toBe(200);
    expect(child.body.rows.map((r: { label: string }) => r.label)).toEqual(['甲街道', '乙镇', '本级']);
    // 甲街道: 355 in March + A3's 120; 乙镇: 160 + cr's 60 in April; 本级: ot's 30 on the district itself.
    expect(figures(child.body.rows)).toEqual({ [ids.S1]: [475, 2, 4], [ids.S2]: [220, 1, 2], [ids.D]: [30, 0, 1] });
    // ot served in 甲街道 and on the district itself: 7 in the rows, 6 people.
    expect(child.body.total).toEqual({ serviceMinutes: 725, serviceHours: 12.1, activities: 3, volunteers: 6 });

    const category = await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=category`);
    expect(figures(category.body.rows)).toMatchObject({
      'digital-inclusion': [310, 1, 3], environment: [90, 1, 2], 'garbage-sorting': [120, 1, 1], 'errand-escort': [60, 0, 1],
      'legal-aid': [45, 0, 1], other: [30, 0, 1], 'elder-rides': [70, 0, 1], 'anti-fraud': [0, 0, 0],
    });
    const month = await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=month`);
    expect(figures(month.body.rows)).toEqual({ '2025-03': [545, 2, 6], '2025-04': [180, 1, 2] });
    const group = await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=group`);
    // Disjoint: rh is a party member, so the 网约车司机（非党员、非银发） row is empty.
    expect(figures(group.body.rows)).toEqual({
      partyMember: [350, 3, 2], senior: [90, 1, 1], courier: [110, 1, 1], foodDelivery: [45, 0, 1], rideHailing: [0, 0, 0], other: [130, 1, 1],
    });
    for (const report of [child, category, month, group]) {
      const rows = report.body.rows as { serviceMinutes: number; volunteers: number }[];
      expect(rows.reduce((s, r) => s + r.serviceMinutes, 0)).toBe(725);
      expect(report.body.total.serviceMinutes).toBe(725);
    }
    expect(group.body.rows.reduce((s: number, r: { volunteers: number }) => s + r.volunteers, 0)).toBe(group.body.total.volunteers);
    // Default grouping is by child unit.
    expect((await get(`/org-units/${ids.D}/report?${RANGE}`)).body.groupBy).toBe('child');
  });

  it('answers CSV for Accept: text/csv (UTF-8 with BOM, minutes and hours) that parses back to the same figures', async () => {
    const json = (await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=child`)).body;
    const response = await raw(`/org-units/${ids.D}/report?${RANGE}&groupBy=child`, { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+\.csv"; filename\*=UTF-8''/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(table[0]).toEqual(['编号', '单位', '服务时长（分钟）', '服务时长（小时）', '活动场次', '志愿者人数']);
    const lines = table.slice(1);
    expect(lines.map((l) => l[0])).toEqual([ids.S1, ids.S2, ids.D, 'total']);
    expect(lines.map((l) => l[1])).toEqual(['甲街道', '乙镇', '本级', '合计']);
    const parsed = lines.slice(0, -1).map((l) => ({ key: l[0], serviceMinutes: Number(l[2]), activities: Number(l[4]), volunteers: Number(l[5]) }));
    expect(figures(parsed)).toEqual(figures(json.rows));
    expect(lines.map((l) => l[3])).toEqual(['7.9', '3.7', '0.5', '12.1']);
    expect(lines[3].slice(2).map(Number)).toEqual([725, 12.1, 3, 6]);
    expect(parsed.reduce((s, r) => s + r.serviceMinutes, 0)).toBe(Number(lines[3][2]));
    // The same through the .csv path and ?format=csv.
    const viaPath = Buffer.from(await (await raw(`/org-units/${ids.D}/report.csv?${RANGE}&groupBy=child`)).arrayBuffer());
    const viaFormat = Buffer.from(await (await raw(`/org-units/${ids.D}/report?${RANGE}&groupBy=child&format=csv`)).arrayBuffer());
    expect(viaPath.equals(bytes)).toBe(true);
    expect(viaFormat.equals(bytes)).toBe(true);
  });

  it('answers an Excel workbook that a real xlsx reader opens with the same figures', async () => {
    const response = await raw(`/org-units/${ids.D}/report.xlsx?${RANGE}&groupBy=group`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own `Buffer` (an ArrayBuffer) that newer @types/node's Buffer no longer matches; it reads either.
    await workbook.xlsx.load((await response.arrayBuffer()) as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.getWorksheet('统计')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(String(values(1)[0])).toContain('测试区');
    expect(values(2)).toEqual(['编号', '志愿者群体', '服务时长（分钟）', '服务时长（小时）', '活动场次', '志愿者人数']);
    const rows = Array.from({ length: 7 }, (_, i) => values(3 + i));
    expect(rows.map((r) => [r[0], r[2], r[3], r[5]])).toEqual([
      ['partyMember', 350, 5.8, 2], ['senior', 90, 1.5, 1], ['courier', 110, 1.8, 1], ['foodDelivery', 45, 0.8, 1],
      ['rideHailing', 0, 0, 0], ['other', 130, 2.2, 1], ['total', 725, 12.1, 6],
    ]);
    expect(rows[1][1]).toBe('银发（非党员）');
    expect(sheet.getCell(3, 4).numFmt).toBe('0.0');
    expect(workbook.getWorksheet('说明')!.rowCount).toBeGreaterThan(3);
    // Accept negotiates it too.
    const negotiated = await raw(`/org-units/${ids.D}/report?${RANGE}`, { accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(negotiated.headers.get('content-type')).toContain('spreadsheetml');
  });

  it('refuses bad query parameters with problem+json: 400 when malformed, 404 for an unknown unit', async () => {
    const cases: [string, number, string][] = [
      [`/org-units/${ids.D}/dashboard?period=2025-13`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/dashboard?period=March`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/dashboard?period=2025-03&extra=1`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/report?from=2025-04-30&to=2025-03-01`, 400, 'range-reversed'],
      [`/org-units/${ids.D}/report?from=2025-02-30&to=2025-03-31`, 400, 'from-invalid'],
      [`/org-units/${ids.D}/report?from=2025-03-01&to=2025-03-31&groupBy=street`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/report?from=2025-03-01`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/report?from=2025-03-01&to=2025-03-31&format=pdf`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/report.xlsx?from=2025-03-01&to=2025-03-31&groupBy=age`, 400, 'validation-failed'],
      [`/org-units/${ids.D}/report?from=1990-01-01&to=2025-03-31`, 400, 'range-too-long'],
      ['/org-units/no-such-unit/report?from=2025-03-01&to=2025-03-31', 404, 'org-unit-not-found'],
      ['/org-units/no-such-unit/report.csv?from=2025-03-01&to=2025-03-31', 404, 'org-unit-not-found'],
      ['/org-units/no-such-unit/dashboard?period=2025-03', 404, 'org-unit-not-found'],
      ['/org-units/no-such-unit', 404, 'org-unit-not-found'],
      ['/activities/no-such-activity', 404, 'activity-not-found'],
      ['/activities?orgUnitId=no-such-unit', 404, 'org-unit-not-found'],
      ['/activities?status=late', 400, 'validation-failed'],
      ['/activities?from=2025-04-01&to=2025-03-01', 400, 'range-reversed'],
      ['/activities?from=2025-02-31', 400, 'from-invalid'],
      ['/activities?limit=0', 400, 'validation-failed'],
    ];
    for (const [path, status, code] of cases) {
      const answer = await api.call('GET', `/api/v1${path}`, undefined, { accept: 'text/csv' });
      expect({ path, status: answer.status, code: answer.body?.code }).toEqual({ path, status, code });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('rebuilds the same figures from the log after the read models are deleted', async () => {
    const before = (await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=group`)).body;
    const dashboard = (await get(`/org-units/${ids.D}/dashboard?period=2025-03`)).body;
    await app.stop();
    await backend.deleteReadModels(dir, env);
    app = await startHaitang(dir, env);
    api = client(app.baseUrl, app.token);
    const after = (await get(`/org-units/${ids.D}/report?${RANGE}&groupBy=group`)).body;
    expect({ ...after, projectedPosition: 0 }).toEqual({ ...before, projectedPosition: 0 });
    expect({ ...(await get(`/org-units/${ids.D}/dashboard?period=2025-03`)).body, projectedPosition: 0 }).toEqual({ ...dashboard, projectedPosition: 0 });
  });
});

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"', i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
