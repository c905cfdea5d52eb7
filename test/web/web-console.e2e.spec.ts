import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ROOT, requireBuild } from '../support/built';
import { chromiumInstalled, contrastRatio, DESKTOP, launchChromium, PHONE, screenshotBoth } from '../support/browser';
import { type HaitangProcess, signIn as tokenFor, startHaitang, TEST_ADMIN } from '../support/haitang-process';

/**
 * The web console in a real browser (Debian's chromium, headless) against the
 * real built app with the demo data: every role signs in; the seed story is
 * run through the pages (plan, check in by QR link on a phone, complete,
 * approve a self-report, amend); the dashboard shows the API's numbers; an
 * import with a bad row records nothing; a staff member cannot reach another
 * community; inputs are labelled, the main actions work from the keyboard and
 * the palette has enough contrast. Screenshots of every main page at phone and
 * desktop size are saved (see test/support/browser.ts).
 */

const SHANGHAI_MS = 8 * 3600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const shanghaiDay = (ms: number) => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
const shanghaiClock = (ms: number) => new Date(ms + SHANGHAI_MS).toISOString().slice(11, 16);
/** Hours with one decimal from minutes, as the console and the server show them. */
const hours = (minutes: number) => {
  const tenths = Math.floor((minutes * 10 + 30) / 60);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
};

const browserSuite = chromiumInstalled() ? describe : describe.skip;
if (!chromiumInstalled()) process.stdout.write('web console browser suite skipped: /usr/bin/chromium is not installed (apt-get install chromium)\n');

browserSuite('web console in chromium (built app, demo data)', () => {
  let dir: string;
  let app: HaitangProcess;
  let browser: Browser;
  const passwords: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let phone: Page;
  let official: Page;
  const story: { activityId?: string; activityTitle: string; checkInLink?: string } = { activityTitle: `玩转智能手机 ${Date.now() % 10000}` };

  // ------------------------------------------------------------------ helpers

  async function api<T = any>(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${app.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  const head = async (): Promise<number> => (await api<{ head: number }>('admin', 'GET', '/events?limit=1')).body.head;
  /** A read that waits until everything written so far is counted (as the console does after its own writes). */
  const fresh = async <T = any>(who: string, path: string) => api<T>(who, 'GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${await head()}`);

  async function newPage(viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => {
      throw new Error(`error in the page: ${error.message}`);
    });
    return page;
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }

  /** Fills in the sign-in form and sends it, for a sign-in that is to be refused (the page stays). */
  async function signInExpectingRefusal(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
  }

  /** Inputs, selects and text areas on the page that have no label (a screen reader could not name them). */
  // (Browser code is passed as text: the test project is compiled without the DOM library.)
  const unlabelled = (page: Page) => page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120))`);

  /** Presses Tab until the focused element matches, as a keyboard user would (at most `max` presses). */
  async function tabTo(page: Page, matches: (el: { tag: string; text: string; label: string | null; name: string | null }) => boolean, max = 80): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ tag: string; text: string; label: string | null; name: string | null } | null>(`(() => {
        const el = document.activeElement;
        return el ? { tag: el.tagName, text: (el.innerText ?? '').trim(), label: el.getAttribute('aria-label'), name: el.getAttribute('name') } : null;
      })()`);
      if (focused && matches(focused)) return;
    }
    throw new Error('could not reach the element with Tab');
  }

  async function shoot(page: Page, name: string): Promise<void> {
    expect(await unlabelled(page)).toEqual([]);
    await screenshotBoth(page, name);
  }

  // --------------------------------------------------------------------- setup

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'haitang-web-'));
    // The demo data and its accounts, loaded as `npm run demo` does (with the admin the test process starts with).
    const env = { HAITANG_ADMIN_USER: TEST_ADMIN.username, HAITANG_ADMIN_PASSWORD: TEST_ADMIN.password };
    const output = execFileSync(process.execPath, [join(ROOT, 'dist', 'apps', 'haitang', 'src', 'cli.js'), 'demo'], {
      env: { ...process.env, ...env, HAITANG_DATA_DIR: dir, LOG_LEVEL: 'warn' }, encoding: 'utf8',
    });
    for (const match of output.matchAll(/^\s+(taohuawu-staff|gusu-official|volunteer-v001)\s+(\S+)\s/gm)) passwords[match[1]] = match[2];
    expect(Object.keys(passwords).sort()).toEqual(['gusu-official', 'taohuawu-staff', 'volunteer-v001']);
    app = await startHaitang(dir);
    tokens.admin = app.token;
    tokens.staff = await tokenFor(app.baseUrl, 'taohuawu-staff', passwords['taohuawu-staff']);
    tokens.official = await tokenFor(app.baseUrl, 'gusu-official', passwords['gusu-official']);
    // The staff member gives 俞阿姨 (v-033, 桃花坞社区) an account for her phone.
    const created = await api<{ password: string }>('staff', 'POST', '/accounts', { username: 'yu-ayi', role: 'volunteer', volunteerId: 'v-033', displayName: '俞阿姨' });
    expect(created.status).toBe(201);
    passwords['yu-ayi'] = created.body.password;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // --------------------------------------------------------------------- the story

  it('is served at / with client-side routes, without asking the browser to upgrade to https', async () => {
    for (const path of ['/', '/staff/activities', '/check-in/a-1?code=x.y']) {
      const answer = await fetch(`${app.baseUrl}${path}`);
      expect([answer.status, answer.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      // Reached over plain http on a community's network, an upgrade would leave the page blank.
      expect(answer.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(await answer.text()).toContain('<div id="root">');
    }
    for (const path of ['/api/v1/nothing-here', '/assets/missing.js']) {
      const answer = await fetch(`${app.baseUrl}${path}`);
      expect([answer.status, answer.headers.get('content-type')]).toEqual([404, 'application/problem+json; charset=utf-8']);
    }
  });

  it('signs staff in with the keyboard alone, after refusing a wrong password in plain words', async () => {
    staff = await newPage();
    await staff.goto(`${app.baseUrl}/staff/activities`);
    await staff.waitForURL(/\/sign-in\?next=/);
    await shoot(staff, '01-sign-in');
    await staff.getByLabel('用户名').fill('taohuawu-staff');
    await staff.getByLabel('密码').fill('not-the-password');
    await staff.getByRole('button', { name: '登录' }).click();
    await see(staff.getByRole('alert')).toContainText('用户名或密码');

    await staff.getByLabel('密码').fill('');
    await staff.getByLabel('用户名').focus();
    await staff.keyboard.press('Control+A');
    await staff.keyboard.type('taohuawu-staff');
    await staff.keyboard.press('Tab');
    await staff.keyboard.type(passwords['taohuawu-staff']);
    await tabTo(staff, (el) => el.tag === 'BUTTON' && el.text === '登录');
    await staff.keyboard.press('Enter');
    await staff.waitForURL(/\/staff\/activities$/);
    await see(staff.getByRole('heading', { level: 1 })).toHaveText('活动');
    await see(staff.getByText('社情民意议事会：老旧小区电动车充电难')).toBeVisible();
    await shoot(staff, '02-staff-activities');
  });

  it('plans an activity through the form', async () => {
    await staff.getByRole('link', { name: '计划活动' }).first().click();
    await staff.waitForURL(/\/staff\/activities\/new$/);
    // A window from 90 minutes ago to an hour from now, on today's Shanghai date.
    const now = Date.now();
    const dayStart = Date.parse(`${shanghaiDay(now)}T00:00:00+08:00`);
    const start = Math.max(dayStart, Math.floor((now - 90 * 60_000) / 300_000) * 300_000);
    const end = Math.min(dayStart + (23 * 60 + 59) * 60_000, now + 60 * 60_000);
    await staff.getByLabel('活动名称').fill(story.activityTitle);
    await staff.getByLabel('服务类别').selectOption('digital-inclusion');
    await staff.getByLabel('地点').fill('桃花坞社区党群服务中心');
    await staff.getByLabel('日期').fill(shanghaiDay(now));
    await staff.getByLabel('开始时间').fill(shanghaiClock(start));
    await staff.getByLabel('结束时间').fill(shanghaiClock(end));
    await shoot(staff, '03-plan-activity');
    await staff.getByRole('button', { name: '保存活动' }).click();
    await staff.waitForURL(/\/staff\/activities\/(?!new)[^/]+$/);
    story.activityId = decodeURIComponent(new URL(staff.url()).pathname.split('/').pop()!);
    await see(staff.getByRole('heading', { level: 1 })).toHaveText(story.activityTitle);
    const view = await fresh('staff', `/activities/${story.activityId}`);
    expect(view.body).toMatchObject({ title: story.activityTitle, orgUnitId: 'taohuawu', status: 'planned' });
    (story as any).startClock = shanghaiClock(start);
  });

  it('enrolls a volunteer and checks them in with one tap, reached by keyboard, at the time they arrived', async () => {
    await staff.getByLabel('添加志愿者').fill('施大爷');
    await staff.getByRole('button', { name: '为施大爷报名' }).click();
    await see(staff.getByRole('list', { name: '签到名单' })).toContainText('施大爷');
    await staff.getByLabel('签到/签退时间').fill((story as any).startClock);
    await staff.getByLabel('签到/签退时间').focus();
    await tabTo(staff, (el) => el.tag === 'BUTTON' && el.label === '施大爷 签到');
    await staff.keyboard.press('Enter');
    await see(staff.getByRole('button', { name: '施大爷 签退' })).toBeVisible();
    await staff.getByLabel('签到/签退时间').fill('');
  });

  it('shows a check-in QR code; a volunteer opens its link on a phone, signs in and checks herself in', async () => {
    await staff.getByRole('button', { name: '显示签到二维码' }).click();
    await see(staff.getByRole('img', { name: /签到二维码/ })).toBeVisible();
    const link = await staff.getByTestId('check-in-link').getAttribute('href');
    expect(link).toMatch(/\/check-in\/[^?]+\?code=/);
    story.checkInLink = link!;
    await shoot(staff, '04-activity-roster-qr');

    phone = await newPage(PHONE);
    await phone.goto(link!);
    await phone.waitForURL(/\/sign-in\?next=%2Fcheck-in/);
    await see(phone.getByText('请先登录，登录后即可完成签到。')).toBeVisible();
    await signIn(phone, 'yu-ayi', passwords['yu-ayi']);
    await phone.waitForURL(/\/check-in\//);
    await phone.getByRole('button', { name: '签到' }).click();
    await see(phone.getByRole('status')).toContainText('签到成功');
    await shoot(phone, '05-volunteer-check-in');

    // A forged or altered code is refused in plain words, and records nothing.
    const before = await head();
    // (The signature's first character is changed: every bit of it counts, whereas the last character of
    // base64url carries padding bits, and changing only those leaves the signature as it was.)
    await phone.goto(link!.replace(/code=([^.&]+)\.([^&]+)/, (_, payload: string, signature: string) => `code=${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`));
    await phone.getByRole('button', { name: '签到' }).click();
    await see(phone.getByRole('alert')).toContainText('签到码无效');
    expect(await head()).toBe(before);

    // The roster follows the volunteers who scan while the code is shown.
    await see(staff.getByRole('list', { name: '签到名单' })).toContainText('俞阿姨', { timeout: 15_000 });
  });

  it('checks both out, completes the activity and shows the hours credited', async () => {
    await staff.getByRole('button', { name: '施大爷 签退' }).click();
    await see(staff.getByRole('button', { name: '施大爷 签退' })).toHaveCount(0);
    await staff.getByRole('button', { name: '俞阿姨 签退' }).click();
    await see(staff.getByRole('button', { name: '俞阿姨 签退' })).toHaveCount(0);
    await staff.getByRole('button', { name: '结束活动' }).click();
    const credited = staff.getByTestId('credited');
    await see(credited).toContainText('施大爷');
    const view = await fresh('staff', `/activities/${story.activityId}`);
    expect(view.body.status).toBe('completed');
    const record = view.body.records.find((r: any) => r.volunteerId === 'v-034');
    expect(record.minutes).toBeGreaterThan(0);
    await see(credited).toContainText(`施大爷：${hours(record.minutes)} 小时（${record.minutes} 分钟）`);
    // 俞阿姨 checked in just now and out at once: nothing to credit, and the page says why.
    await see(credited).toContainText('俞阿姨：在活动时间内的时长不足 1 分钟');
    await see(staff.getByText(`${hours(view.body.creditedMinutes)} 小时`).first()).toBeVisible();
    (story as any).record = record;
    await shoot(staff, '06-activity-completed');
  });

  it('amends a record with a reason, and keeps its history', async () => {
    const record = (story as any).record as { recordId: string; minutes: number };
    const corrected = record.minutes > 10 ? record.minutes - 10 : record.minutes + 10;
    await staff.getByRole('row', { name: /施大爷/ }).getByRole('button', { name: '修改时长' }).click();
    const dialog = staff.getByRole('dialog');
    await dialog.getByLabel('新的时长（分钟）').fill(String(corrected));
    await dialog.getByLabel('修改原因').fill('提前 10 分钟离开，按实际时间更正');
    await shoot(staff, '07-amend-dialog');
    await dialog.getByRole('button', { name: '保存修改' }).click();
    await see(staff.getByRole('dialog')).toHaveCount(0);
    await see(staff.getByRole('row', { name: /施大爷/ })).toContainText(`${corrected} 分钟`);
    const history = await api<any>('admin', 'GET', `/streams/record-${record.recordId}`);
    expect(JSON.stringify(history.body)).toContain('提前 10 分钟离开');
  });

  it('staff see who changed what, newest first: the correction with its reason; and only one person’s changes when asked', async () => {
    const record = (story as any).record as { recordId: string; minutes: number };
    await staff.getByRole('link', { name: '变更记录' }).click();
    await staff.waitForURL(/\/changes$/);
    const changes = staff.getByRole('list', { name: '变更记录' }).getByRole('listitem');
    // The newest change is the correction just made: what, to whom, from how much to how much, why, by whom.
    const newest = changes.first();
    await see(newest).toContainText('修改服务时长');
    await see(newest).toContainText(`施大爷 · ${hours(record.minutes)} → ${hours(record.minutes > 10 ? record.minutes - 10 : record.minutes + 10)} 小时`);
    await see(newest).toContainText('理由：提前 10 分钟离开，按实际时间更正');
    await see(newest).toContainText('（taohuawu-staff） · 社区工作人员');
    // The list is the API's trail of the unit, newest first.
    const trail = await api<{ entries: { type: string; position: number }[] }>('staff', 'GET', `/audit?orgUnitId=taohuawu&order=desc&limit=30&minPosition=${await head()}`);
    expect(trail.body.entries[0].type).toBe('ServiceAmended.v1');
    expect(await changes.count()).toBe(trail.body.entries.length);
    // Before it, the completion of the activity: the records it credited, and the completion itself.
    await see(changes.nth(1)).toContainText('登记服务记录');
    await see(changes.filter({ hasText: '结束活动并计入时长' }).filter({ hasText: story.activityTitle })).toHaveCount(1);
    await shoot(staff, '07b-changes');

    // One person's changes: the staff member's own, each naming her.
    await staff.getByLabel('操作人（可不填）').fill('taohuawu-staff');
    await staff.getByRole('button', { name: '查看' }).click();
    await see(changes.first()).toContainText('修改服务时长');
    const mine = await changes.allTextContents();
    expect(mine.length).toBeGreaterThan(3);
    for (const text of mine) expect(text).toContain('taohuawu-staff');
    // A day the trail refuses is said in plain words, under the field.
    await staff.getByLabel('记录日期从').fill('2026-11-30');
    await staff.getByLabel('记录日期到').fill('2026-11-01');
    await staff.getByRole('button', { name: '查看' }).click();
    await see(staff.getByRole('alert').first()).toContainText('开始日期不能晚于结束日期');
  });

  it('a volunteer reports an errand on her phone; it waits for approval', async () => {
    await phone.goto(`${app.baseUrl}/me`);
    await see(phone.getByTestId('approved-hours')).toBeVisible();
    await phone.getByRole('link', { name: '报告一次服务' }).click();
    await phone.waitForURL(/\/me\/report$/);
    await phone.getByLabel('服务类别').selectOption('errand-escort');
    await phone.getByLabel('服务日期').fill(shanghaiDay(Date.now() - 86_400_000));
    await phone.getByLabel('分钟', { exact: true }).fill('45');
    await phone.getByLabel('做了什么').fill('送独居老人到苏大附一院复诊并陪同取药');
    await shoot(phone, '08-volunteer-report');
    await phone.getByRole('button', { name: '提交，等待审核' }).click();
    await phone.waitForURL(/\/me\?reported=1$/);
    await see(phone.getByText('另有 0.8 小时待社区审核')).toBeVisible();
  });

  it('staff approve the self-report, then correct it; the volunteer sees her hours, star progress and the correction', async () => {
    await staff.getByRole('link', { name: '服务记录' }).click();
    await staff.waitForURL(/\/staff\/records/);
    await see(staff.getByText('送独居老人到苏大附一院复诊并陪同取药')).toBeVisible();
    await shoot(staff, '09-records-pending');
    await staff.getByRole('button', { name: '通过俞阿姨的报告' }).click();
    await see(staff.getByRole('status')).toContainText('已通过俞阿姨的报告，计 0.8 小时');
    await see(staff.getByText('没有待审核的服务报告')).toBeVisible();

    await staff.getByRole('button', { name: '已通过' }).click();
    const card = staff.getByRole('listitem').filter({ hasText: '送独居老人到苏大附一院复诊并陪同取药' });
    await card.getByRole('button', { name: '修改时长' }).click();
    await staff.getByRole('dialog').getByLabel('新的时长（分钟）').fill('40');
    await staff.getByRole('dialog').getByLabel('修改原因').fill('路上时间不计，按 40 分钟记');
    await staff.getByRole('dialog').getByRole('button', { name: '保存修改' }).click();
    await see(card).toContainText('修改过 1 次');

    const hoursView = await fresh('admin', '/volunteers/v-033/hours');
    await phone.goto(`${app.baseUrl}/me`);
    await see(phone.getByTestId('approved-hours')).toHaveText(hours(hoursView.body.approvedMinutes));
    await see(phone.getByText('时长由 0.8 小时更正为 0.7 小时：路上时间不计，按 40 分钟记')).toBeVisible();
    await see(phone.getByRole('progressbar')).toBeVisible();
    await see(phone.getByText(`再服务 ${hours(hoursView.body.nextStar.minutesToGo)} 小时即可成为 1 星志愿者`)).toBeVisible();
    await shoot(phone, '10-volunteer-hours');
  });

  it('the volunteer gets a certificate of her hours that anyone can verify; staff issue one for a volunteer without an account', async () => {
    await phone.goto(`${app.baseUrl}/me`);
    await phone.getByRole('link', { name: '开具服务证明' }).click();
    await phone.waitForURL(/\/me\/certificate$/);
    await phone.getByRole('button', { name: '开具服务证明' }).click();
    await phone.waitForURL(/\/certificates\/\d{4}-\d{6}\?code=/);
    const url = new URL(phone.url());
    const number = decodeURIComponent(url.pathname.split('/').pop()!);
    // The page shows what the API verifies, to anyone (no sign-in).
    const verified: any = await fetch(`${app.baseUrl}/api/v1${url.pathname}${url.search}`).then((r) => r.json());
    expect(verified).toMatchObject({ number, volunteer: { displayName: '俞阿姨' }, matchesLedger: true });
    await see(phone.getByText('已核验：与账本一致')).toBeVisible();
    await see(phone.getByTestId('certificate')).toContainText(`经审核累计服务时长 ${hours(verified.certified.approvedMinutes)} 小时`);
    await see(phone.getByTestId('certificate-number')).toHaveText(number);
    await shoot(phone, '10a-volunteer-certificate');
    // Her page lists it, to open (print, send) again.
    await phone.goto(`${app.baseUrl}/me`);
    await phone.getByRole('link', { name: number }).click();
    await see(phone.getByTestId('certificate-number')).toHaveText(number);

    const visitor = await newPage(PHONE);
    await visitor.goto(url.toString());
    await see(visitor.getByTestId('certificate')).toContainText('兹证明 俞阿姨（桃花坞社区）');
    await visitor.goto(`${app.baseUrl}/certificates/${number}?code=ABCDEFGH`);
    await see(visitor.getByText('找不到这份证明')).toBeVisible();

    await staff.getByRole('link', { name: '服务证明' }).click();
    await staff.waitForURL(/\/staff\/certificates$/);
    await staff.getByLabel('查找志愿者').fill('施大爷');
    await staff.getByRole('button', { name: '为施大爷开具证明' }).click();
    await staff.getByRole('button', { name: '开具服务证明' }).click();
    await see(staff.getByTestId('certificate')).toContainText('兹证明 施大爷');
    await see(staff.getByText('已核验：与账本一致')).toBeVisible();
    await shoot(staff, '10b-staff-certificate');
    const shiNumber = (await staff.getByTestId('certificate-number').textContent())!.trim();

    // The certificates page lists what the community issued, newest first, each with who issued it; one opens again.
    await staff.getByRole('link', { name: '服务证明' }).click();
    await staff.waitForURL(/\/staff\/certificates$/);
    const issued = staff.getByRole('region', { name: '本单位志愿者最近的服务证明' }).getByRole('listitem');
    await see(issued).toHaveCount(2);
    await see(issued.nth(0)).toContainText('施大爷');
    await see(issued.nth(0)).toContainText(shiNumber);
    await see(issued.nth(0)).toContainText('开具人：桃花坞社区工作人员');
    await see(issued.nth(1)).toContainText('俞阿姨');
    await see(issued.nth(1)).toContainText(number);
    await see(issued.nth(1)).toContainText('开具人：俞阿姨');
    await shoot(staff, '10e-staff-certificates-issued');
    await issued.nth(1).getByRole('link', { name: '俞阿姨' }).click();
    await see(staff.getByTestId('certificate-number')).toHaveText(number);
    await see(staff.getByText('已核验：与账本一致')).toBeVisible();
  });

  it('staff give a volunteer a new password, disable her account (her phone is signed out) and enable it again', async () => {
    await staff.getByRole('link', { name: '账号' }).click();
    await staff.waitForURL(/\/staff\/accounts$/);
    await see(staff.getByRole('listitem').filter({ hasText: 'yu-ayi' })).toContainText('俞阿姨');
    await staff.getByRole('button', { name: '重置俞阿姨的密码' }).click();
    const fresh = (await staff.getByTestId('new-password').textContent())!.trim();
    expect(fresh).toMatch(/^[a-z0-9-]{10,}$/);
    passwords['yu-ayi'] = fresh;

    await staff.getByRole('button', { name: '停用俞阿姨的账号' }).click();
    await staff.getByRole('dialog').getByRole('button', { name: '停用', exact: true }).click();
    await see(staff.getByRole('status')).toContainText('已停用俞阿姨的账号');
    await see(staff.getByRole('listitem').filter({ hasText: 'yu-ayi' })).toContainText('已停用');
    await shoot(staff, '10c-staff-accounts');

    // Her phone: the next page load is refused, and signing in says why.
    await phone.goto(`${app.baseUrl}/me`);
    await phone.waitForURL(/\/sign-in\?.*disabled=1/);
    await see(phone.getByText('该账号已停用，请联系社区工作人员。')).toBeVisible();
    await phone.goto(`${app.baseUrl}/sign-in`);
    await signInExpectingRefusal(phone, 'yu-ayi', fresh);
    await see(phone.getByRole('alert')).toContainText('该账号已停用');

    await staff.getByRole('button', { name: '恢复俞阿姨的账号' }).click();
    await see(staff.getByRole('status')).toContainText('已恢复俞阿姨的账号');
    await signIn(phone, 'yu-ayi', fresh);
    await phone.waitForURL(/\/me$/);
  });

  it('staff open an account for a colleague who only reads the figures, and she signs in to the dashboard', async () => {
    await staff.getByRole('link', { name: '账号' }).click();
    await staff.waitForURL(/\/staff\/accounts$/);
    await staff.getByRole('button', { name: '为同事开通账号' }).click();
    const form = staff.getByRole('dialog');
    await form.getByLabel('姓名').fill('钱书记');
    await form.getByRole('radio', { name: /领导/ }).check();
    await form.getByLabel('用户名').fill('Qian-Shuji');
    await shoot(staff, '10d-staff-colleague-account');
    await form.getByRole('button', { name: '开通' }).click();
    const password = (await staff.getByTestId('new-password').textContent())!.trim();
    expect(password).toMatch(/^[a-z0-9-]{10,}$/);
    await see(staff.getByRole('listitem').filter({ hasText: 'qian-shuji' })).toContainText('钱书记');
    await see(staff.getByRole('listitem').filter({ hasText: 'qian-shuji' })).toContainText('领导（查看）');

    const qian = await newPage(DESKTOP);
    await qian.goto(`${app.baseUrl}/`);
    await signIn(qian, 'qian-shuji', password);
    await see(qian.getByText('钱书记 · 领导（查看）')).toBeVisible();
    // An official records nothing: the staff pages are not hers.
    await qian.goto(`${app.baseUrl}/staff/accounts`);
    await see(qian.getByText('没有权限')).toBeVisible();
  });

  it('staff register a new volunteer, after a wrong phone number is refused under its field; her phone number is kept sealed', async () => {
    await staff.getByRole('link', { name: '志愿者' }).click();
    await staff.waitForURL(/\/staff\/volunteers$/);
    const count = async () => (await api<{ total: number }>('staff', 'GET', `/org-units/taohuawu/volunteers?limit=1&minPosition=${await head()}`)).body.total;
    const before = await count();
    await see(staff.getByText(`共 ${before} 位`)).toBeVisible();

    await staff.getByRole('button', { name: '登记志愿者' }).click();
    const form = staff.getByRole('dialog');
    await form.getByLabel('称呼').fill('周阿姨');
    await form.getByRole('checkbox', { name: '党员' }).check();
    await form.getByLabel('职业').selectOption({ label: '外卖骑手' });
    await form.getByLabel('手机号（可不填）').fill('12');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    // Said under the field itself, and above the buttons in a sentence that names no field in English.
    const phoneField = form.locator('.field:has(#phone)');
    await see(phoneField.getByRole('alert')).toHaveText('应为 5–20 位数字。');
    await see(form.locator('.notice-error')).toContainText('有几项填写得不对，请按提示修改');
    expect(await form.locator('.notice-error').textContent()).not.toContain('phone');
    expect(await count()).toBe(before);

    await shoot(staff, '12-staff-register-volunteer');
    await form.getByLabel('手机号（可不填）').fill('13912345678');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await see(staff.getByRole('status')).toContainText('已登记周阿姨');
    const zhou = staff.getByRole('list', { name: '志愿者' }).getByRole('listitem').filter({ hasText: '周阿姨' });
    await see(zhou).toContainText('党员');
    await see(zhou).toContainText('外卖骑手');
    expect(await count()).toBe(before + 1);

    // In the ledger as entered; the phone number sealed, shown in full to the community's staff only.
    const found = await api<{ volunteers: { volunteerId: string }[] }>('staff', 'GET', `/org-units/taohuawu/volunteers?q=${encodeURIComponent('周阿姨')}&minPosition=${await head()}`);
    const id = found.body.volunteers[0].volunteerId;
    const profile = await api<any>('staff', 'GET', `/volunteers/${id}`);
    expect(profile.body).toMatchObject({ displayName: '周阿姨', partyMember: true, senior: false, occupation: 'food-delivery', personalDataShown: 'full', personalData: { phone: '13912345678' } });
    expect((await api<any>('official', 'GET', `/volunteers/${id}`)).body).toMatchObject({ personalDataShown: 'masked', personalData: { phone: '139****5678' } });
    const registered = await api<any>('admin', 'GET', `/streams/volunteer-${id}`);
    expect(JSON.stringify(registered.body)).not.toContain('13912345678');

    // Her page: hours and records; personal data only when asked for, and erased at her request (hours stay).
    await zhou.getByRole('link', { name: '周阿姨' }).click();
    await staff.waitForURL(new RegExp(`/staff/volunteers/${id}$`));
    await see(staff.getByRole('heading', { name: '周阿姨', level: 1 })).toBeVisible();
    await see(staff.getByText('还没有服务记录')).toBeVisible();
    // She turned 60 and gave up delivering: her groups change, only what changed is sent.
    await staff.getByRole('button', { name: '修改资料' }).click();
    const edit = staff.getByRole('dialog');
    await edit.getByRole('checkbox', { name: '银发志愿者' }).check();
    await edit.getByLabel('职业').selectOption({ label: '其他' });
    await edit.getByRole('button', { name: '保存', exact: true }).click();
    await see(staff.getByRole('status')).toContainText('已保存周阿姨的资料');
    await see(staff.locator('.badge-row')).toContainText('银发志愿者');
    expect(await staff.locator('.badge-row').textContent()).not.toContain('外卖骑手');
    const updated = await api<any>('staff', 'GET', `/volunteers/${id}?personalData=omit&minPosition=${await head()}`);
    expect(updated.body).toMatchObject({ displayName: '周阿姨', partyMember: true, senior: true, occupation: 'other', personalDataShown: 'omitted' });
    const profileEvents = (await api<any>('admin', 'GET', `/streams/volunteer-${id}`)).body.events.filter((e: { type: string }) => e.type === 'VolunteerProfileUpdated.v1');
    expect(profileEvents.map((e: { data: Record<string, unknown> }) => e.data)).toEqual([{ volunteerId: id, senior: true, occupation: 'other' }]);
    expect(await staff.getByText('13912345678').count()).toBe(0);
    await staff.getByRole('button', { name: '显示个人信息' }).click();
    await see(staff.getByText('13912345678')).toBeVisible();
    await shoot(staff, '12b-staff-volunteer');
    await staff.getByRole('button', { name: '删除个人信息' }).click();
    const erase = staff.getByRole('dialog');
    await erase.getByLabel('原因（可不填）').fill('本人要求');
    await erase.getByRole('button', { name: '永久删除' }).click();
    await see(staff.getByRole('status')).toContainText('已删除周阿姨的个人信息');
    await see(staff.getByText('个人信息已按本人要求删除')).toBeVisible();
    expect(await staff.getByText('13912345678').count()).toBe(0);
    expect((await api<any>('staff', 'GET', `/volunteers/${id}?minPosition=${await head()}`)).body).toMatchObject({ displayName: '周阿姨', personalDataErased: true, personalData: null });
  });

  it('staff form a team, add two volunteers found by name, and one leaves with a reason; the team keeps its history', async () => {
    await staff.getByRole('link', { name: '志愿者' }).click();
    await staff.waitForURL(/\/staff\/volunteers$/);
    await staff.getByRole('link', { name: '队伍', exact: true }).click();
    await staff.waitForURL(/\/teams$/);
    // Still under 志愿者 in the menu.
    await see(staff.getByText('本单位还没有队伍')).toBeVisible();
    expect(await staff.getByRole('navigation').getByRole('link', { name: '志愿者' }).getAttribute('aria-current')).toBe('page');

    await staff.getByRole('button', { name: '成立队伍' }).click();
    const form = staff.getByRole('dialog');
    await form.getByLabel('队伍名称').fill('  ');
    await form.getByLabel('类型').selectOption({ label: '红引擎' });
    await form.getByRole('button', { name: '成立', exact: true }).click();
    await see(form.locator('.notice-error')).toBeVisible();
    await form.getByLabel('队伍名称').fill('桃花坞“小蜜蜂”督导队');
    await form.getByLabel('类型').selectOption({ label: '志愿服务队' });
    await form.getByRole('button', { name: '成立', exact: true }).click();
    await see(staff.getByRole('status')).toContainText('已成立桃花坞“小蜜蜂”督导队');
    const card = staff.getByRole('list', { name: '队伍' }).getByRole('listitem');
    await see(card).toHaveCount(1);
    await see(card).toContainText('志愿服务队');
    await see(card).toContainText('0 名队员');

    await card.getByRole('link', { name: '桃花坞“小蜜蜂”督导队' }).click();
    await staff.waitForURL(/\/teams\/[^/]+$/);
    const teamId = decodeURIComponent(new URL(staff.url()).pathname.split('/').pop()!);
    for (const name of ['俞阿姨', '施大爷']) {
      await staff.getByLabel('添加队员').fill(name.slice(0, 1));
      await staff.getByRole('button', { name: `让${name}加入队伍` }).click();
      await see(staff.getByRole('list', { name: /^队员/ })).toContainText(name);
    }
    // One already in the team is not offered again.
    await staff.getByLabel('添加队员').fill('俞');
    await see(staff.getByText('已在队中')).toBeVisible();
    await staff.getByLabel('添加队员').fill('');

    await staff.getByRole('button', { name: '施大爷退出队伍' }).click();
    const leave = staff.getByRole('dialog');
    await leave.getByLabel('原因（可不填）').fill('身体原因');
    await leave.getByRole('button', { name: '确认退出' }).click();
    await see(staff.getByRole('status')).toContainText('施大爷已退出队伍');
    const members = staff.getByRole('list', { name: /^队员/ }).getByRole('listitem');
    await see(members).toHaveCount(1);
    await see(members).toContainText('俞阿姨');
    const history = staff.getByRole('list', { name: '队伍记录' }).getByRole('listitem');
    await see(history).toHaveCount(4);
    await see(history.first()).toContainText('施大爷退出：身体原因');
    await see(history.last()).toContainText('队伍成立');
    await shoot(staff, '12c-staff-team');

    // The ledger holds exactly that, in order; the list counts one member.
    const events = (await api<any>('admin', 'GET', `/streams/team-${teamId}`)).body.events as { type: string; data: Record<string, unknown> }[];
    expect(events.map((e) => e.type)).toEqual(['TeamFormed.v1', 'VolunteerJoinedTeam.v1', 'VolunteerJoinedTeam.v1', 'VolunteerLeftTeam.v1']);
    expect(events[0].data).toMatchObject({ name: '桃花坞“小蜜蜂”督导队', kind: 'service-team', orgUnitId: 'taohuawu' });
    expect(events[3].data).toMatchObject({ volunteerId: 'v-034', reason: '身体原因' });
    const listed = await api<any>('staff', 'GET', `/org-units/taohuawu/teams?minPosition=${await head()}`);
    expect(listed.body.teams).toMatchObject([{ teamId, memberCount: 1 }]);
  });

  it('an administrator registers a street and a community under it, opens an account for its staff, who signs in to it', async () => {
    const admin = await newPage(DESKTOP);
    await admin.goto(`${app.baseUrl}/`);
    await signIn(admin, TEST_ADMIN.username, TEST_ADMIN.password);
    await admin.getByRole('link', { name: '组织架构' }).click();
    await admin.waitForURL(/\/units$/);
    await see(admin.getByRole('listitem').filter({ hasText: '桃花坞社区' })).toBeVisible();

    // A street under 姑苏区; a name of spaces alone is refused in plain words, and nothing is registered.
    await admin.getByRole('button', { name: '在姑苏区下登记单位' }).click();
    let form = admin.getByRole('dialog');
    await form.getByRole('radio', { name: '街道' }).check();
    await form.getByLabel('街道名称').fill('   ');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await see(form.getByRole('alert').first()).toContainText('名称');
    await form.getByLabel('街道名称').fill('双塔街道');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await see(admin.getByRole('status')).toContainText('已登记双塔街道');
    const street = admin.getByRole('listitem').filter({ hasText: '双塔街道' });
    await see(street).toContainText('街道');

    // A community under the new street: the only kind a street may hold, so there is no choice to make.
    await admin.getByRole('button', { name: '在双塔街道下登记单位' }).click();
    form = admin.getByRole('dialog');
    expect(await form.getByRole('radio').count()).toBe(0);
    await form.getByLabel('社区名称').fill('双塔社区');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    await see(admin.getByRole('status')).toContainText('已登记双塔社区');
    await see(street).toContainText('下级单位 1 个');
    await shoot(admin, '03-admin-units');

    // What the pages did is in the ledger: the community sits under the street, the street under the district.
    const units = (await api<{ orgUnits: { orgUnitId: string; name: string; kind: string; parentId: string | null }[] }>('admin', 'GET', `/org-units?minPosition=${await head()}`)).body.orgUnits;
    const byName = (name: string) => units.find((u) => u.name === name)!;
    expect(byName('双塔街道')).toMatchObject({ kind: 'street', parentId: byName('姑苏区').orgUnitId });
    expect(byName('双塔社区')).toMatchObject({ kind: 'community', parentId: byName('双塔街道').orgUnitId });

    // An account for the new community's staff, made from the units page; she signs in to her community's pages.
    await admin.getByRole('button', { name: '为双塔社区开通账号' }).click();
    form = admin.getByRole('dialog');
    await see(form.getByRole('heading')).toContainText('为双塔社区开通账号');
    await form.getByLabel('姓名').fill('周社工');
    await form.getByLabel('用户名').fill('zhou-shuangta');
    await form.getByRole('button', { name: '开通' }).click();
    const password = (await admin.getByTestId('new-password').textContent())!.trim();
    expect(password).toMatch(/^[a-z0-9-]{10,}$/);

    // The administrator's account list holds every unit's accounts, each with its unit.
    await admin.getByRole('link', { name: '账号' }).click();
    await admin.waitForURL(/\/accounts$/);
    await see(admin.getByRole('listitem').filter({ hasText: 'zhou-shuangta' })).toContainText('社区工作人员 · 双塔社区');
    await see(admin.getByRole('listitem').filter({ hasText: 'taohuawu-staff' })).toContainText('桃花坞社区');

    const zhou = await newPage(DESKTOP);
    await zhou.goto(`${app.baseUrl}/`);
    await signIn(zhou, 'zhou-shuangta', password);
    await zhou.waitForURL(/\/staff\/activities$/);
    await see(zhou.getByText('周社工 · 社区工作人员')).toBeVisible();
    // Her units page shows her community alone, where nothing can be registered below.
    await zhou.getByRole('link', { name: '组织架构' }).click();
    await see(zhou.getByRole('listitem').filter({ hasText: '双塔社区' })).toBeVisible();
    expect(await zhou.locator('.unit-tree').getByRole('listitem').count()).toBe(1);
    expect(await zhou.getByRole('button', { name: /下登记单位/ }).count()).toBe(0);
  });

  it('the demo volunteer signs in and sees only their own page', async () => {
    const v001 = await newPage(PHONE);
    await v001.goto(`${app.baseUrl}/`);
    await signIn(v001, 'volunteer-v001', passwords['volunteer-v001']);
    await v001.waitForURL(/\/me$/);
    await see(v001.getByText('陈师傅，您好')).toBeVisible();
    await v001.goto(`${app.baseUrl}/staff/activities`);
    await see(v001.getByText('没有权限')).toBeVisible();
    await v001.goto(`${app.baseUrl}/dashboard/gusu`);
    await see(v001.getByText('没有权限')).toBeVisible();
  });

  it('an official’s dashboard shows the API’s numbers, drills down from district to community, and exports', async () => {
    official = await newPage();
    await official.goto(`${app.baseUrl}/`);
    await signIn(official, 'gusu-official', passwords['gusu-official']);
    await official.waitForURL(/\/dashboard$/);
    await see(official.getByRole('heading', { level: 1 })).toHaveText('姑苏区 · 志愿服务统计');
    const month = shanghaiDay(Date.now()).slice(0, 7);
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const report = await fresh('official', `/org-units/gusu/report?from=${month.slice(0, 4)}-01-01&to=${lastDay}&groupBy=child`);
    await see(official.getByTestId('total-hours')).toHaveText(`${hours(report.body.total.serviceMinutes)}小时`);
    await see(official.getByTestId('total-activities')).toHaveText(String(report.body.total.activities));
    await see(official.getByTestId('total-volunteers')).toHaveText(String(report.body.total.volunteers));
    for (const row of report.body.rows.filter((r: any) => r.key !== 'gusu')) {
      await see(official.getByRole('row', { name: new RegExp(row.label) })).toContainText(hours(row.serviceMinutes));
    }
    await see(official.locator('.chart svg').first()).toBeVisible();
    await shoot(official, '11-dashboard-district');

    const download = official.waitForEvent('download');
    await official.getByRole('button', { name: '导出 CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv).toContain('金阊街道');

    await official.getByRole('link', { name: '金阊街道' }).click();
    await see(official.getByRole('heading', { level: 1 })).toHaveText('金阊街道 · 志愿服务统计');
    await official.getByRole('link', { name: '桃花坞社区' }).click();
    await see(official.getByRole('heading', { level: 1 })).toHaveText('桃花坞社区 · 志愿服务统计');
    await see(official.getByRole('navigation', { name: '上级单位' })).toContainText('姑苏区 › 金阊街道');
    const community = await fresh('official', `/org-units/taohuawu/report?from=${month.slice(0, 4)}-01-01&to=${lastDay}&groupBy=child`);
    await see(official.getByTestId('total-hours')).toHaveText(`${hours(community.body.total.serviceMinutes)}小时`);
    await shoot(official, '12-dashboard-community');
  });

  it('an official sees the teams of the whole district and who is in them, and changes nothing there', async () => {
    await official.getByRole('link', { name: '队伍' }).click();
    await official.waitForURL(/\/teams$/);
    const listed = await fresh('official', '/org-units/gusu/teams');
    const cards = official.getByRole('list', { name: '队伍' }).getByRole('listitem');
    await see(cards).toHaveCount(listed.body.teams.length);
    expect(listed.body.teams.length).toBeGreaterThanOrEqual(4);
    expect(await official.getByRole('button', { name: '成立队伍' }).count()).toBe(0);
    const redEngine = cards.filter({ hasText: '“红引擎”志愿服务队' });
    await see(redEngine).toContainText('沧浪街道');
    await see(redEngine).toContainText('6 名队员');
    await redEngine.getByRole('link').click();
    await official.waitForURL(/\/teams\/red-engine$/);
    const members = official.getByRole('list', { name: /^队员/ }).getByRole('listitem');
    await see(members).toHaveCount(6);
    await see(members.first()).toBeVisible();
    // The members' hours, as the API gives them, and together.
    const team = (await fresh('official', '/teams/red-engine')).body;
    for (const m of team.members) {
      const hoursOf = (await fresh('official', `/volunteers/${m.volunteerId}/hours`)).body;
      expect(m.approvedMinutes).toBe(hoursOf.approvedMinutes);
      await see(members.filter({ hasText: m.displayName })).toContainText(`${hours(m.approvedMinutes)} 小时`);
    }
    expect(team.membersApprovedMinutes).toBe(team.members.reduce((sum: number, m: { approvedMinutes: number }) => sum + m.approvedMinutes, 0));
    expect(team.membersApprovedMinutes).toBeGreaterThan(0);
    await see(official.getByTestId('team-hours')).toContainText(`${hours(team.membersApprovedMinutes)} 小时`);
    await shoot(official, '11b-official-team');
    expect(await official.getByLabel('添加队员').count()).toBe(0);
    expect(await official.getByRole('button', { name: /退出队伍/ }).count()).toBe(0);
    expect(await members.getByRole('link').count()).toBe(0);
  });

  it('an import with one bad row shows the error and records nothing; a good file is recorded at once', async () => {
    await staff.getByRole('link', { name: '导入' }).click();
    await staff.waitForURL(/\/staff\/import$/);
    const before = await head();
    const bad = '志愿者编号,姓名,服务日期,服务类别,服务时长（分钟）,服务内容\n'
      + 'v-033,俞阿姨,2026-10-08,垃圾分类,90,桶边督导\nv-034,施大爷,2026/10/9,环境整治,一个半小时,清理楼道\nv-035,曹阿姨,2026-10-10,其他,60,整理议事会记录\n';
    await staff.getByLabel('选择表格文件').setInputFiles({ name: '2026年10月.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await see(staff.getByText('3 行中有 1 行有误')).toBeVisible();
    await see(staff.getByRole('row', { name: /施大爷/ })).toContainText('服务时长“一个半小时”应为整分钟数');
    await see(staff.getByRole('button', { name: '全部导入（3 行）' })).toBeDisabled();
    await shoot(staff, '13-import-preview');
    expect(await head()).toBe(before);
    // The server refuses the whole file too, if sent anyway.
    const refused = await api('staff', 'POST', '/service-records/imports', { orgUnitId: 'taohuawu', fileName: 'x.csv', content: Buffer.from(bad).toString('base64') });
    expect(refused.status).toBe(422);
    expect(await head()).toBe(before);

    const good = bad.replace('一个半小时', '90');
    await staff.getByLabel('选择表格文件').setInputFiles({ name: '2026年10月.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await see(staff.getByText('3 行全部无误，共 4.0 小时')).toBeVisible();
    await staff.getByRole('button', { name: '全部导入（3 行）' }).click();
    await see(staff.getByRole('status').filter({ hasText: '已导入' })).toContainText('已导入 3 条记录，共 4.0 小时');
    expect(await head()).toBe(before + 3);
  });

  it('a staff member cannot reach another community’s pages', async () => {
    await staff.goto(`${app.baseUrl}/staff/activities/a-maojiaqiao-fitness`);
    await see(staff.getByRole('alert')).toContainText('没有权限');
    await see(staff.getByRole('heading', { level: 1 })).toHaveCount(0);
    await staff.goto(`${app.baseUrl}/dashboard/maojiaqiao`);
    await see(staff.getByRole('alert')).toContainText('没有权限');
    await see(staff.getByTestId('total-hours')).toHaveCount(0);
    expect((await api('staff', 'GET', '/activities/a-maojiaqiao-fitness')).status).toBe(403);
  });

  it('signing out on a shared computer ends that session on the server too', async () => {
    const pc = await newPage();
    await pc.goto(`${app.baseUrl}/`);
    await signIn(pc, 'gusu-official', passwords['gusu-official']);
    await pc.waitForURL(/\/dashboard$/);
    const token = JSON.parse((await pc.evaluate('localStorage.getItem("haitang.session")')) as string).token as string;
    const check = () => fetch(`${app.baseUrl}/api/v1/sessions/current`, { headers: { authorization: `Bearer ${token}` } });
    expect((await check()).status).toBe(200);
    // A second tab of the same browser shares the session, and leaves with it.
    const otherTab = await pc.context().newPage();
    await otherTab.goto(`${app.baseUrl}/teams`);
    await see(otherTab.getByRole('heading', { name: '队伍', level: 1 })).toBeVisible();
    await pc.getByRole('button', { name: '退出' }).click();
    await pc.waitForURL(/\/sign-in$/);
    await otherTab.waitForURL(/\/sign-in/);
    // The page sends the sign-out on its way out without waiting for it: give it a moment to land.
    let answer = await check();
    for (let tries = 0; answer.status === 200 && tries < 50; tries++) answer = await new Promise((r) => setTimeout(r, 100)).then(check);
    expect([answer.status, ((await answer.json()) as { code: string }).code]).toEqual([401, 'token-signed-out']);
  });

  it('switches to English and back', async () => {
    await staff.goto(`${app.baseUrl}/staff/activities`);
    await staff.getByRole('button', { name: /Switch to English/ }).click();
    await see(staff.getByRole('heading', { level: 1 })).toHaveText('Activities');
    expect(await staff.evaluate('document.documentElement.lang')).toBe('en');
    await shoot(staff, '14-staff-activities-english');
    await staff.getByRole('button', { name: /切换到中文/ }).click();
    await see(staff.getByRole('heading', { level: 1 })).toHaveText('活动');
  });

  it('the main palette has a contrast of at least 4.5:1 for every text on its background', async () => {
    const names = ['primary', 'on-primary', 'primary-soft', 'text', 'muted', 'bg', 'surface', 'success', 'success-soft', 'warning', 'warning-soft', 'danger', 'danger-soft', 'info', 'info-soft'];
    const palette = await staff.evaluate<Record<string, string>>(`(() => {
      const style = getComputedStyle(document.documentElement);
      return Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, style.getPropertyValue('--color-' + n).trim().toLowerCase()]));
    })()`);
    // The built CSS may write a colour short (#fff): expand it.
    for (const [name, value] of Object.entries(palette)) {
      expect(value).toMatch(/^#([0-9a-f]{3}|[0-9a-f]{6})$/);
      if (value.length === 4) palette[name] = `#${[...value.slice(1)].map((c) => c + c).join('')}`;
    }
    const pairs: [string, string][] = [
      ['text', 'bg'], ['text', 'surface'], ['muted', 'surface'], ['muted', 'bg'], ['on-primary', 'primary'], ['primary', 'surface'], ['primary', 'bg'],
      ['primary', 'primary-soft'], ['success', 'success-soft'], ['warning', 'warning-soft'], ['danger', 'danger-soft'], ['info', 'info-soft'],
      ['danger', 'surface'], ['success', 'surface'],
    ];
    const weak = pairs.map(([fg, bg]) => ({ fg, bg, ratio: contrastRatio(palette[fg], palette[bg]) })).filter((p) => p.ratio < 4.5);
    expect(weak).toEqual([]);
  });

  it('a tap without network is kept on the device and sent once it is back, counted from the tap; an answer lost on the way is not counted twice', async () => {
    const now = Date.now();
    const planned = await api('staff', 'POST', '/activities', {
      orgUnitId: 'taohuawu', title: '楼道巡查（信号差）', category: 'safety-patrol', location: '桃花坞大街 12 号楼', startsAt: iso(now - 30 * MIN), endsAt: iso(now + 90 * MIN),
    });
    expect(planned.status).toBe(201);
    const id = planned.body.id as string;
    expect((await api('staff', 'POST', `/activities/${id}/enrollments`, { volunteerId: 'v-033' })).status).toBe(200);
    const events = async (type: string) => (await api<any>('admin', 'GET', `/streams/activity-${id}`)).body.events.filter((e: { type: string }) => e.type === type);
    // The enrollment was made over the API, not on this page: open the page once the read side has counted it
    // (it reads the roster once; under a loaded CI run the projector may not have caught up yet).
    expect((await fresh('staff', `/activities/${id}`)).body.roster).toEqual([expect.objectContaining({ volunteerId: 'v-033' })]);
    await staff.goto(`${app.baseUrl}/staff/activities/${id}`);
    const row = staff.locator('.roster-row').filter({ hasText: '俞阿姨' });
    await see(row.getByRole('button', { name: '俞阿姨 签到' })).toBeVisible();

    // Offline: every try fails; the tap is kept, the roster says so, nothing is recorded yet.
    await staff.context().setOffline(true);
    let tapped = 0;
    try {
      tapped = Date.now();
      await row.getByRole('button', { name: '俞阿姨 签到' }).click();
      await see(staff.getByText('“俞阿姨 签到”已暂存在本机')).toBeVisible();
      await see(row).toContainText('待发送');
      await see(staff.getByText('有 1 条记录暂存在本机')).toBeVisible();
      expect(await row.getByRole('button', { name: '俞阿姨 签到' }).count()).toBe(0);
      await shoot(staff, '04b-roster-offline');
      await staff.waitForTimeout(3_000);
      expect(await events('VolunteerCheckedIn.v1')).toEqual([]);
    } finally {
      await staff.context().setOffline(false);
    }
    // Back online: sent by itself, once, with the time of the tap.
    await see(row.getByRole('button', { name: '俞阿姨 签退' })).toBeVisible({ timeout: 15_000 });
    await see(staff.getByText('暂存在本机')).toHaveCount(0);
    const checkedIn = await events('VolunteerCheckedIn.v1');
    expect(checkedIn).toHaveLength(1);
    const at = Date.parse(checkedIn[0].data.at);
    expect(Math.abs(at - tapped)).toBeLessThan(2_500);
    expect(Date.parse(checkedIn[0].recordedAt) - at).toBeGreaterThan(2_500);

    // The ledger records the check-out, but every answer is lost on the way back: kept, then sent again with its first key.
    let reached = 0;
    await staff.route('**/check-outs', async (route) => {
      // Errors here would be the route's own (the page gone): never an unhandled rejection.
      if (await route.fetch().then(() => true, () => false)) reached++;
      await route.abort('connectionreset').catch(() => undefined);
    });
    try {
      await row.getByRole('button', { name: '俞阿姨 签退' }).click();
      await see(staff.getByText('“俞阿姨 签退”已暂存在本机')).toBeVisible();
    } finally {
      await staff.unroute('**/check-outs');
    }
    expect(reached).toBeGreaterThanOrEqual(1);
    expect(await events('VolunteerCheckedOut.v1')).toHaveLength(1);
    // "立即发送", unless its own retry (every 10 s) was quicker on a busy machine.
    await staff.getByRole('button', { name: '立即发送' }).click({ timeout: 2_000 }).catch(() => undefined);
    await see(row).toContainText('已签退', { timeout: 15_000 });
    await see(staff.getByText('暂存在本机')).toHaveCount(0);
    expect(await events('VolunteerCheckedOut.v1')).toHaveLength(1);
    // Delivered as the first answer, not refused as a second check-out.
    expect(await staff.getByText('未能记录').count()).toBe(0);
    expect(await staff.evaluate('localStorage.getItem("haitang.outbox")')).toBe('[]');
  });

  // Last: it moves a volunteer of 桃花坞社区 away.
  it('staff of a street move a volunteer to another of their communities; the community she left no longer sees her', async () => {
    expect((await api('admin', 'POST', '/accounts', { username: 'jinchang-staff', role: 'staff', orgUnitId: 'jinchang', password: 'jinchang-password-1' })).status).toBe(201);
    const street = await newPage();
    await street.goto(`${app.baseUrl}/staff/volunteers/v-035`);
    await signIn(street, 'jinchang-staff', 'jinchang-password-1');
    await see(street.getByRole('heading', { name: '曹阿姨', level: 1 })).toBeVisible();
    await street.getByRole('button', { name: '修改资料' }).click();
    const edit = street.getByRole('dialog');
    const home = edit.getByLabel('所属单位');
    await see(home.locator('option')).toHaveCount(3);
    expect(await home.inputValue()).toBe('taohuawu');
    await home.selectOption({ label: '　毛家桥社区' });
    await edit.getByRole('button', { name: '保存', exact: true }).click();
    await see(street.getByRole('status')).toContainText('已保存曹阿姨的资料');
    const events = (await api<any>('admin', 'GET', '/streams/volunteer-v-035')).body.events.filter((e: { type: string }) => e.type === 'VolunteerProfileUpdated.v1');
    expect(events.map((e: { data: Record<string, unknown> }) => e.data)).toEqual([{ volunteerId: 'v-035', homeOrgUnitId: 'maojiaqiao' }]);
    expect((await fresh('staff', '/volunteers/v-035/hours')).status).toBe(403);
    expect((await fresh('admin', '/volunteers/v-035?personalData=omit')).body.homeOrgUnitId).toBe('maojiaqiao');
    // A community's staff have nowhere to move anyone: no such field.
    await staff.goto(`${app.baseUrl}/staff/volunteers/v-034`);
    const unitsListed = staff.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/org-units' && r.request().method() === 'GET');
    await staff.getByRole('button', { name: '修改资料' }).click();
    expect((await unitsListed).status()).toBe(200);
    await see(staff.getByRole('dialog').getByLabel('称呼')).toBeVisible();
    await staff.waitForTimeout(300);
    expect(await staff.getByRole('dialog').getByLabel('所属单位').count()).toBe(0);
    await staff.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  });
});

/** Playwright-style assertions on a locator, retried until they hold (10 s by default): playwright-core has no test runner. */
function see(locator: Locator) {
  const poll = async (check: () => Promise<boolean>, describe: () => Promise<string>, timeout = 10_000) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${String(locator)}: ${await describe().catch((e) => String(e))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const text = async () => (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
  return {
    toBeVisible: (o?: { timeout?: number }) => poll(() => locator.first().isVisible(), async () => 'not visible', o?.timeout),
    toHaveText: (expected: string, o?: { timeout?: number }) => poll(async () => (await text()) === expected, async () => `text is "${await text()}", expected "${expected}"`, o?.timeout),
    toContainText: (expected: string, o?: { timeout?: number }) => poll(async () => (await text()).includes(expected), async () => `text "${await text()}" does not contain "${expected}"`, o?.timeout),
    toHaveCount: (n: number, o?: { timeout?: number }) => poll(async () => (await locator.count()) === n, async () => `count is ${await locator.count()}, expected ${n}`, o?.timeout),
    toBeDisabled: (o?: { timeout?: number }) => poll(() => locator.first().isDisabled(), async () => 'not disabled', o?.timeout),
  };
}
