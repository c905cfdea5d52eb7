import { join } from 'node:path';

const PRELOAD = join(__dirname, 'shifted-clock.preload.js');

/**
 * Environment for startHaitang() that starts the app's clock at `startsAt`
 * (it then ticks in real time), and the app's "now" as this process sees it.
 */
export function shiftedClock(startsAt: string, env: Record<string, string> = {}) {
  const offsetMs = Date.parse(startsAt) - Date.now();
  return {
    env: {
      ...env,
      HAITANG_TEST_CLOCK_OFFSET_MS: String(offsetMs),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(PRELOAD)}`.trim(),
    },
    /** The app's current time, in ms. */
    now: () => Date.now() + offsetMs,
  };
}
