import { join, resolve } from 'node:path';
import { parseStarThresholds } from '@haitang/domain';

/** Everything Haitang reads from the environment, in one place (see README, Configuration). */
export interface HaitangConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: string;
  /** Log one line per HTTP request (commands are always logged). */
  readonly logRequests: boolean;
  /** Star levels: cumulative approved hours for 1, 2, … stars. */
  readonly starThresholdsHours: number[];
  /** The built web console (npm run build puts it in dist/web). */
  readonly webDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HaitangConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.HAITANG_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    logRequests: (env.HAITANG_LOG_REQUESTS ?? 'true') !== 'false',
    starThresholdsHours: parseStarThresholds(env.HAITANG_STAR_THRESHOLDS),
    // dist/apps/haitang/src -> dist/web
    webDir: resolve(env.HAITANG_WEB_DIR ?? join(__dirname, '..', '..', '..', 'web')),
  };
}

export const dataFile = (config: HaitangConfig, name: string) => join(config.dataDir, name);
