import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumInstalled, launchChromium } from './support/browser';
import { type HaitangProcess, startHaitang } from './support/haitang-process';

const inBrowser = chromiumInstalled() ? it : it.skip;
if (!chromiumInstalled()) process.stdout.write('API docs browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)\n');

describe('security headers and CORS', () => {
  let dirs: string[] = [];
  let closed: HaitangProcess;
  let open: HaitangProcess;

  beforeAll(async () => {
    dirs = [mkdtempSync(join(tmpdir(), 'haitang-headers-')), mkdtempSync(join(tmpdir(), 'haitang-headers-'))];
    [closed, open] = await Promise.all([
      startHaitang(dirs[0]),
      startHaitang(dirs[1], { HAITANG_CORS_ORIGINS: 'http://console.haitang.example, https://haitang.gusu.gov.cn:8443' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([closed?.stop(), open?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the security headers on answers, errors and the docs alike', async () => {
    for (const path of ['/health', '/api/v1/sessions/current', '/api/v1/nowhere', '/docs/openapi.json']) {
      const r = await fetch(`${closed.baseUrl}${path}`);
      expect([path, r.headers.get('x-content-type-options'), r.headers.get('x-frame-options'), r.headers.get('referrer-policy')])
        .toEqual([path, 'nosniff', 'SAMEORIGIN', 'no-referrer']);
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('keeps CORS closed unless origins are configured', async () => {
    const preflight = (base: string, origin: string) => fetch(`${base}/api/v1/sessions`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    const get = (base: string, origin: string) => fetch(`${base}/health`, { headers: { origin } });

    const refused = await preflight(closed.baseUrl, 'http://console.haitang.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await get(closed.baseUrl, 'http://console.haitang.example')).headers.get('access-control-allow-origin')).toBeNull();

    const allowed = await preflight(open.baseUrl, 'http://console.haitang.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://console.haitang.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await get(open.baseUrl, 'https://haitang.gusu.gov.cn:8443')).headers.get('access-control-allow-origin')).toBe('https://haitang.gusu.gov.cn:8443');
    expect((await get(open.baseUrl, 'https://haitang.gusu.gov.cn:8443')).headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    // Any other origin gets nothing that would let its page read the answer.
    expect((await preflight(open.baseUrl, 'http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await get(open.baseUrl, 'http://console.haitang.example.evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  inBrowser('keeps the API docs working in a real browser under the Content-Security-Policy', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
      page.on('pageerror', (e) => violations.push(String(e)));
      await page.goto(`${closed.baseUrl}/docs`);
      await page.waitForSelector('.opblock-tag', { timeout: 20_000 });
      expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Haitang');
      expect(await page.locator('.opblock').count()).toBeGreaterThan(30);
      // The Authorize button takes the token from POST /sessions.
      expect(await page.locator('button.authorize').count()).toBe(1);
      expect(violations.filter((v) => !/img-src|validator/.test(v))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
