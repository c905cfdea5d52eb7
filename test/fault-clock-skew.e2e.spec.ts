import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, client, type HaitangProcess, startHaitang } from './support/haitang-process';
import { shiftedClock } from './support/shifted-clock';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Midnight in Asia/Shanghai between 19 and 20 November 2026 is 16:00 UTC, in the middle of the UTC day. */
const SHANGHAI_MIDNIGHT = Date.parse('2026-11-20T00:00:00+08:00');

/**
 * Clock skew in request timestamps, against the built app whose clock is put
 * on either side of midnight in Asia/Shanghai (test/support/shifted-clock.ts):
 *
 *   app "before": 90 s before Shanghai midnight, 2026-11-19 23:58:30 in Shanghai
 *                 (15:58:30 UTC), with TZ=Pacific/Kiritimati (UTC+14, where it is
 *                 already the 20th);
 *   app "after":  30 s after it, 2026-11-20 00:00:30 in Shanghai (still the 19th
 *                 in UTC), with TZ=Etc/GMT+12 (UTC-12, where it is the 19th).
 *
 * The process time zones are chosen so that a rule computed from the server's
 * local calendar, or from UTC, gives the wrong answer. It proves: attendance
 * times up to 5 minutes ahead of the server's clock are accepted, anything
 * further ahead is refused (422 at-in-future), times far in the past are
 * refused by the check-in window, a check-out before its check-in is refused;
 * offsets from -12:00 to +14:00 are compared as instants (a wall-clock text
 * that "looks" inside the window is refused when the instant is not, and the
 * other way round); credited minutes are computed from the instants and
 * clamped to the window; service dates are Asia/Shanghai calendar days.
 */
describe('clock skew in request timestamps', () => {
  const dirs: string[] = [];
  let before: HaitangProcess;
  let after: HaitangProcess;
  let beforeNow: () => number;
  let api: ReturnType<typeof client>;
  let apiAfter: ReturnType<typeof client>;
  const id: Record<string, string> = {};

  const ok = <T>(answer: Answer<T>, what: string): T => {
    if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const refused = (answer: Answer, status: number, code: string) => {
    expect({ status: answer.status, code: answer.body?.code, type: answer.headers.get('content-type') })
      .toEqual({ status, code, type: expect.stringContaining('application/problem+json') });
  };

  beforeAll(async () => {
    const clockBefore = shiftedClock(iso(SHANGHAI_MIDNIGHT - 90_000), { TZ: 'Pacific/Kiritimati' });
    const clockAfter = shiftedClock(iso(SHANGHAI_MIDNIGHT + 30_000), { TZ: 'Etc/GMT+12' });
    beforeNow = clockBefore.now;
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(join(tmpdir(), 'haitang-clock-')));
    [before, after] = await Promise.all([startHaitang(dirs[0], clockBefore.env), startHaitang(dirs[1], clockAfter.env)]);
    api = client(before.baseUrl, before.token);
    apiAfter = client(after.baseUrl, after.token);
    for (const [name, a] of [['before', api], ['after', apiAfter]] as const) {
      id[`unit-${name}`] = ok(await a.post('/org-units', { kind: 'district', name: '相城区' }), 'unit').id;
      id[`volunteer-${name}`] = ok(await a.post('/volunteers', { homeOrgUnitId: id[`unit-${name}`], displayName: '赵阿姨' }), 'volunteer').id;
    }
  });
  afterAll(async () => {
    await Promise.all([before?.stop(), after?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('service dates are Asia/Shanghai calendar days', () => {
    const record = (name: string, serviceDate: string) => ({
      volunteerId: id[`volunteer-${name}`], orgUnitId: id[`unit-${name}`], category: 'garbage-sorting', serviceDate, minutes: 30, description: '垃圾分类督导',
    });

    it('just before Shanghai midnight: today (the 19th) is accepted, tomorrow is refused although the server\'s own zone (UTC+14) is already on the 20th', async () => {
      expect(beforeNow()).toBeLessThan(SHANGHAI_MIDNIGHT); // the app started late enough to still be on the 19th
      expect((await api.post('/service-records', record('before', '2026-11-19'))).status).toBe(201);
      refused(await api.post('/service-records', record('before', '2026-11-20')), 422, 'service-date-in-future');
      refused(await api.post(`/volunteers/${id['volunteer-before']}/service-reports`, { ...record('before', '2026-11-20'), volunteerId: undefined }), 422, 'service-date-in-future');
    });

    it('just after Shanghai midnight: the 20th is today although it is still the 19th in UTC and in the server\'s zone (UTC-12); the 21st is refused', async () => {
      expect((await apiAfter.post('/service-records', record('after', '2026-11-20'))).status).toBe(201);
      refused(await apiAfter.post('/service-records', record('after', '2026-11-21')), 422, 'service-date-in-future');
    });
  });

  describe('attendance times around the server\'s clock', () => {
    let activity: string;
    let startsAt: number;
    let endsAt: number;
    const sent: Record<string, { in: number; out: number }> = {};
    const volunteer = async (name: string) => (id[name] ??= ok(await api.post('/volunteers', { homeOrgUnitId: id['unit-before'], displayName: name }), name).id);
    const checkIn = async (name: string, at: string) => api.post(`/activities/${activity}/check-ins`, { volunteerId: await volunteer(name), at });
    const checkOut = async (name: string, at: string) => api.post(`/activities/${activity}/check-outs`, { volunteerId: await volunteer(name), at });

    beforeAll(async () => {
      const now = beforeNow();
      startsAt = now - 60 * MIN;
      endsAt = now + 60 * MIN;
      activity = ok(await api.post('/activities', {
        orgUnitId: id['unit-before'], title: '夜间平安巡逻', category: 'safety-patrol', location: '庆元家园社区', startsAt: iso(startsAt), endsAt: iso(endsAt),
      }), 'activity').id;
    });

    it('accepts a check-out up to 5 minutes ahead of the server, refuses one further ahead or far in the future', async () => {
      const now = beforeNow();
      sent.early = { in: now - 30 * MIN, out: now + 4 * MIN + 50_000 };
      expect((await checkIn('early', iso(sent.early.in))).status).toBe(200);
      refused(await checkOut('early', iso(now + 10 * MIN)), 422, 'at-in-future');
      refused(await checkOut('early', '2099-12-31T23:59:00+14:00'), 422, 'at-in-future');
      refused(await checkOut('early', '2000-01-01T00:00:00Z'), 422, 'check-out-before-check-in');
      expect((await checkOut('early', iso(sent.early.out))).status).toBe(200);
    });

    it('accepts a walk-in check-in 4 minutes ahead, refuses 5 min 10 s ahead, and a check-out before that check-in', async () => {
      const now = beforeNow();
      refused(await checkIn('ahead', iso(now + 5 * MIN + 10_000)), 422, 'at-in-future');
      sent.ahead = { in: now + 4 * MIN, out: now + 4 * MIN + 30_000 };
      expect((await checkIn('ahead', iso(sent.ahead.in))).status).toBe(200);
      refused(await checkOut('ahead', iso(sent.ahead.in - MIN)), 422, 'check-out-before-check-in');
      expect((await checkOut('ahead', iso(sent.ahead.out))).status).toBe(200);
    });

    it('refuses check-ins far in the past (before the window opens, one hour ahead of the start)', async () => {
      refused(await checkIn('late-phone', iso(startsAt - 2 * 60 * MIN)), 422, 'check-in-too-early');
      refused(await checkIn('late-phone', '2000-01-01T00:00:00Z'), 422, 'check-in-too-early');
      refused(await checkIn('late-phone', iso(startsAt - 60 * MIN - 1000)), 422, 'check-in-too-early');
    });

    it('credits minutes computed from the instants, clamped to the window', async () => {
      const done = ok(await api.post(`/activities/${activity}/completion`, {}), 'completion');
      const expected = Math.floor((Math.min(endsAt, sent.early.out) - Math.max(startsAt, sent.early.in)) / MIN); // 34
      expect(done.credited).toEqual([{ volunteerId: id.early, recordId: expect.any(String), minutes: expected }]);
      expect(done.notCredited).toEqual([{ volunteerId: id.ahead, reason: 'no-time-in-window' }]); // 30 s is not a whole minute
      expect(expected).toBe(34);
    });
  });

  describe('odd offsets are instants, not wall-clock text', () => {
    // The window: 20:00-22:00 in Shanghai on the 19th, i.e. 12:00-14:00 UTC (check-in opens at 11:00 UTC).
    let activity: string;
    beforeAll(async () => {
      activity = ok(await api.post('/activities', {
        orgUnitId: id['unit-before'], title: '玩转智能手机', category: 'digital-inclusion', location: '党群服务中心',
        startsAt: '2026-11-19T20:00:00+08:00', endsAt: '2026-11-19T22:00:00+08:00',
      }), 'activity').id;
    });
    const volunteer = async (name: string) => (id[name] ??= ok(await api.post('/volunteers', { homeOrgUnitId: id['unit-before'], displayName: name }), name).id);
    const attend = async (name: string, kind: 'check-ins' | 'check-outs', at: string) => api.post(`/activities/${activity}/${kind}`, { volunteerId: await volunteer(name), at });

    // [volunteer, check-in, check-out, the instants in UTC, minutes credited]
    const inside: [string, string, string, string, number][] = [
      ['kiritimati-in', '2026-11-20T02:10:00+14:00', '2026-11-19T01:25:00-12:00', '12:10-13:25: the check-out text is a day "before" the check-in', 75],
      ['baker-in', '2026-11-19T00:30:00-12:00', '2026-11-20T04:30:00+14:00', '12:30-14:30, clamped to 14:00', 90],
      ['marquesas-nepal', '2026-11-19T02:29:00-09:30', '2026-11-19T19:15:00+05:45', '11:59-13:30, counted from 12:00', 90],
      ['window-opens', '2026-11-20T01:00:00+14:00', '2026-11-19T02:00:30-12:00', '11:00 (exactly one hour early)-14:00:30, clamped to 12:00-14:00', 120],
      ['window-closes', '2026-11-19T02:00:00-12:00', '2026-11-20T04:10:00+14:00', '14:00 (exactly the end)-14:10: no time in the window', 0],
    ];

    it.each(inside)('%s: check-in %s and check-out %s are accepted (%s)', async (name, checkIn, checkOut) => {
      expect((await attend(name, 'check-ins', checkIn)).status).toBe(200);
      expect((await attend(name, 'check-outs', checkOut)).status).toBe(200);
    });

    it.each([
      ['kiritimati-early', '2026-11-19T20:00:00+14:00', 'check-in-too-early', '06:00 UTC although the text says 20:00 like the start'],
      ['kiritimati-second-early', '2026-11-20T00:59:59+14:00', 'check-in-too-early', '10:59:59 UTC, one second before check-in opens'],
      ['baker-late', '2026-11-19T02:01:00-12:00', 'check-in-after-end', '14:01 UTC although the text says 02:01'],
    ])('%s: check-in %s is refused with %s (%s)', async (name, checkIn, code) => {
      refused(await attend(name, 'check-ins', checkIn), 422, code);
    });

    it('stores the instants in UTC and credits minutes computed from them', async () => {
      const done = ok(await api.post(`/activities/${activity}/completion`, {}), 'completion');
      const credited = Object.fromEntries(done.credited.map((c: { volunteerId: string; minutes: number }) => [c.volunteerId, c.minutes]));
      expect(credited).toEqual(Object.fromEntries(inside.filter((c) => c[4] > 0).map(([name, , , , minutes]) => [id[name], minutes])));
      expect(done.notCredited).toEqual([{ volunteerId: id['window-closes'], reason: 'no-time-in-window' }]);

      const stream = ok(await api.get(`/streams/activity-${activity}`), 'stream');
      const checkedIn = stream.events.filter((e: { type: string }) => e.type === 'VolunteerCheckedIn.v1')
        .map((e: { data: { volunteerId: string; at: string } }) => [e.data.volunteerId, e.data.at]);
      expect(Object.fromEntries(checkedIn)).toEqual(Object.fromEntries(inside.map(([name, checkIn]) => [id[name], new Date(checkIn).toISOString()])));
      expect(checkedIn.find(([v]: string[]) => v === id['kiritimati-in'])[1]).toBe('2026-11-19T12:10:00.000Z');

      // The read side counts the same minutes.
      const hours = ok(await api.get(`/volunteers/${id['kiritimati-in']}/hours?minPosition=${done.position}`), 'hours');
      expect(hours.approvedMinutes).toBe(75);
    });
  });
});
