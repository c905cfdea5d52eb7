import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from './built';

/** Debian's chromium, driven by playwright-core (no browser of Playwright's own is downloaded). */
export const CHROMIUM = '/usr/bin/chromium';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

export const chromiumInstalled = (): boolean => existsSync(CHROMIUM);

/**
 * Launches chromium headless. Playwright gives every launch a fresh,
 * throwaway user-data directory (profile), and every context its own
 * storage, so each role signs in in its own context.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Where the suite saves its screenshots (`HAITANG_SCREENSHOT_DIR`, default .haitang-test/screenshots, not committed). */
export function screenshotDir(): string {
  const dir = process.env.HAITANG_SCREENSHOT_DIR ?? join(ROOT, '.haitang-test', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Saves the page at phone and desktop sizes (full length), then restores the size it had. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(viewport);
    // From the top: a full-page shot of a scrolled page would draw the sticky header halfway down.
    // (Browser code as text: the test project is compiled without the DOM library.)
    await page.evaluate('window.scrollTo(0, 0); new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await page.screenshot({ path: join(screenshotDir(), `${name}-${size}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}

/** WCAG 2 contrast ratio of two colours written #rrggbb. */
export function contrastRatio(foreground: string, background: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
