import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHINA_WORKING_DAYS, parseHolidaySchedules, parseStarThresholds, WorkingDayCalendar } from '@haitang/domain';
import type { OidcSettings } from '@haitang/auth';
import { type EventStoreChoice, type StoreChoice, storeChoice } from '@haitang/event-store';
import { busChoice } from '@haitang/messaging';

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
  /** Working days for "records due within 10 working days": the State Council's schedules, plus HAITANG_HOLIDAYS_FILE. */
  readonly workingDays: WorkingDayCalendar;
  /** The built web console (npm run build puts it in dist/web). */
  readonly webDir: string;
  readonly auth: AuthConfig;
  readonly limits: LimitsConfig;
  /** Origins allowed to call the API from a browser (HAITANG_CORS_ORIGINS); empty: none (CORS closed). */
  readonly corsOrigins: readonly string[];
  /** Fastify's trustProxy (HAITANG_TRUST_PROXY): whose X-Forwarded-For to believe for the client's address. */
  readonly trustProxy: boolean | number | string;
  /** Where the event log lives: SQLite files in the data dir (default) or a PostgreSQL database. */
  readonly eventStore: EventStoreChoice;
  /** Where the read models live. */
  readonly readStore: StoreChoice;
  /** Where the sign-in accounts and the personal-data keys live (HAITANG_AUTH_STORE): SQLite files in the data dir, or PostgreSQL. */
  readonly authStore: StoreChoice;
  /**
   * Who keeps the read models (HAITANG_PROJECTOR): 'inside' this process (default), or 'external': a
   * separate projector process (apps/projector) over a PostgreSQL read store; this one only follows it.
   */
  readonly projector: 'inside' | 'external';
  /**
   * How much the projector thread's niceness is raised above the process's (HAITANG_PROJECTOR_NICE, 0–19,
   * default 10; Linux): it yields the CPU to the thread answering requests when both want it, and catches
   * up when they do not.
   */
  readonly projectorNice: number;
  /**
   * How long a stop (a stop signal: see STOP_SIGNALS) may take before Haitang ends itself anyway
   * (HAITANG_SHUTDOWN_TIMEOUT, seconds, 1–600, default 10): see ShutdownWatchdog.
   */
  readonly shutdownTimeoutMs: number;
}

/** Rate limits; 0 switches one off. */
export interface LimitsConfig {
  /** Sign-in attempts per username per 15 minutes (HAITANG_SIGNIN_RATE_LIMIT). */
  readonly signInPerUsername: number;
  /** Sign-in attempts per client address per 15 minutes (HAITANG_SIGNIN_RATE_LIMIT_PER_IP). */
  readonly signInPerIp: number;
  /** Writes (POST, DELETE) per account per minute (HAITANG_WRITE_RATE_LIMIT). */
  readonly writesPerAccount: number;
  /** Writes per client address per minute (HAITANG_WRITE_RATE_LIMIT_PER_IP). */
  readonly writesPerIp: number;
  /** Certificate verifications (the public GET /certificates/:number) per client address per minute (HAITANG_VERIFY_RATE_LIMIT_PER_IP). */
  readonly verificationsPerIp: number;
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

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** Exact origins only (scheme://host[:port]); no wildcard. */
function corsOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      /* refused below */
    }
    if (!parsed || parsed.origin !== origin) throw new Error(`HAITANG_CORS_ORIGINS: "${origin}" is not an origin such as https://haitang.example.gov.cn (no path, no wildcard)`);
  }
  return origins;
}

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** The built-in holiday schedules, with the site's file (HAITANG_HOLIDAYS_FILE) added to them. */
function workingDays(file: string | null): WorkingDayCalendar {
  if (file === null) return CHINA_WORKING_DAYS;
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`HAITANG_HOLIDAYS_FILE: cannot read ${file} (${(error as Error).message})`);
  }
  return new WorkingDayCalendar(parseHolidaySchedules(content, `HAITANG_HOLIDAYS_FILE ${file}`));
}

const text = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : null);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HaitangConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const issuer = text(env.OIDC_ISSUER);
  const readStore = storeChoice(env, 'HAITANG_READ_STORE');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.HAITANG_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    logRequests: (env.HAITANG_LOG_REQUESTS ?? 'true') !== 'false',
    starThresholdsHours: parseStarThresholds(env.HAITANG_STAR_THRESHOLDS),
    workingDays: workingDays(text(env.HAITANG_HOLIDAYS_FILE)),
    // dist/apps/haitang/src -> dist/web
    webDir: resolve(env.HAITANG_WEB_DIR ?? join(__dirname, '..', '..', '..', 'web')),
    auth: {
      tokenTtlSeconds: integer(env, 'HAITANG_TOKEN_TTL_MINUTES', 60, 1, 24 * 60) * 60,
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
    limits: {
      signInPerUsername: integer(env, 'HAITANG_SIGNIN_RATE_LIMIT', 10, 0),
      signInPerIp: integer(env, 'HAITANG_SIGNIN_RATE_LIMIT_PER_IP', 50, 0),
      writesPerAccount: integer(env, 'HAITANG_WRITE_RATE_LIMIT', 600, 0),
      writesPerIp: integer(env, 'HAITANG_WRITE_RATE_LIMIT_PER_IP', 1200, 0),
      verificationsPerIp: integer(env, 'HAITANG_VERIFY_RATE_LIMIT_PER_IP', 60, 0),
    },
    corsOrigins: corsOrigins(env.HAITANG_CORS_ORIGINS),
    trustProxy: trustProxy(env.HAITANG_TRUST_PROXY),
    eventStore: storeChoice(env, 'HAITANG_EVENT_STORE'),
    readStore,
    authStore: storeChoice(env, 'HAITANG_AUTH_STORE'),
    projector: projectorChoice(env, readStore),
    projectorNice: integer(env, 'HAITANG_PROJECTOR_NICE', 10, 0, 19),
    shutdownTimeoutMs: integer(env, 'HAITANG_SHUTDOWN_TIMEOUT', 10, 1, 600) * 1000,
  };
}

function projectorChoice(env: NodeJS.ProcessEnv, readStore: StoreChoice): 'inside' | 'external' {
  const value = (env.HAITANG_PROJECTOR ?? 'inside').trim().toLowerCase();
  if (value === 'inside' || value === '') {
    if (busChoice(env).kind === 'kafka') {
      throw new Error('HAITANG_BUS=kafka is for the projector processes (apps/projector, fed by apps/relay): set HAITANG_PROJECTOR=external here, and HAITANG_BUS=kafka there');
    }
    return 'inside';
  }
  if (value !== 'external') throw new Error(`HAITANG_PROJECTOR must be inside or external, got "${env.HAITANG_PROJECTOR}"`);
  if (readStore.kind === 'postgres') return 'external';
  throw new Error('HAITANG_PROJECTOR=external needs HAITANG_READ_STORE=postgres: a separate projector process (apps/projector) keeps read models in PostgreSQL; with SQLite the projector runs inside Haitang');
}

export const dataFile = (config: HaitangConfig, name: string) => join(config.dataDir, name);
