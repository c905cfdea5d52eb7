import { join, resolve } from 'node:path';
import { parseStarThresholds } from '@haitang/domain';
import type { OidcSettings } from '@haitang/auth';

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
  readonly auth: AuthConfig;
}

export interface AuthConfig {
  /** How long a sign-in token is accepted (HAITANG_TOKEN_TTL_MINUTES). */
  readonly tokenTtlSeconds: number;
  /** The first admin (HAITANG_ADMIN_USER / HAITANG_ADMIN_PASSWORD), created at start if missing. */
  readonly adminUser: string | null;
  readonly adminPassword: string | null;
  /** Tokens of a city's identity provider are accepted too when OIDC_ISSUER is set. */
  readonly oidc: OidcSettings | null;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got "${raw}"`);
  return value;
}

const text = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : null);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HaitangConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const issuer = text(env.OIDC_ISSUER);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.HAITANG_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    logRequests: (env.HAITANG_LOG_REQUESTS ?? 'true') !== 'false',
    starThresholdsHours: parseStarThresholds(env.HAITANG_STAR_THRESHOLDS),
    // dist/apps/haitang/src -> dist/web
    webDir: resolve(env.HAITANG_WEB_DIR ?? join(__dirname, '..', '..', '..', 'web')),
    auth: {
      tokenTtlSeconds: positiveInteger(env, 'HAITANG_TOKEN_TTL_MINUTES', 60, 24 * 60) * 60,
      adminUser: text(env.HAITANG_ADMIN_USER),
      adminPassword: env.HAITANG_ADMIN_PASSWORD ? env.HAITANG_ADMIN_PASSWORD : null,
      oidc: issuer === null ? null : {
        issuer,
        audience: text(env.OIDC_AUDIENCE),
        jwksUri: text(env.OIDC_JWKS_URI),
        roleClaim: text(env.OIDC_ROLE_CLAIM) ?? 'haitang_role',
        orgUnitClaim: text(env.OIDC_ORG_UNIT_CLAIM) ?? 'haitang_org_unit',
        volunteerClaim: text(env.OIDC_VOLUNTEER_CLAIM) ?? 'haitang_volunteer',
      },
    },
  };
}

export const dataFile = (config: HaitangConfig, name: string) => join(config.dataDir, name);
