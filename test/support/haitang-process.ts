import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT, requireBuild } from './built';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The admin every test process is started with (HAITANG_ADMIN_USER / HAITANG_ADMIN_PASSWORD). */
export const TEST_ADMIN = { username: 'test-admin', password: 'test-admin-password' } as const;

export interface HaitangProcess {
  readonly baseUrl: string;
  /** A bearer token of the test admin, signed in once the process answers. */
  readonly token: string;
  readonly child: ChildProcess;
  output(): string;
  /** Graceful stop (SIGTERM) */
  stop(): Promise<void>;
  /** Crash (SIGKILL) */
  kill(): Promise<void>;
}

/** Signs in over HTTP; throws unless the answer is a token. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const body = await response.json() as { token?: string };
  if (response.status !== 201 || typeof body.token !== 'string') throw new Error(`sign-in as ${username}: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Starts the built standalone app (`node dist/apps/haitang/src/main.js`), waits
 * until /health answers, and signs in as the test admin (or keeps `options.token`,
 * a token of an earlier start on the same data directory: it stays valid).
 */
export async function startHaitang(dataDir: string, env: Record<string, string> = {}, options: { token?: string } = {}): Promise<HaitangProcess> {
  requireBuild();
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'haitang', 'src', 'main.js')], {
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', HAITANG_DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      HAITANG_ADMIN_USER: TEST_ADMIN.username, HAITANG_ADMIN_PASSWORD: TEST_ADMIN.password,
      // Suites send thousands of writes a minute: the write limits stay on but out of reach (test/rate-limits tests them).
      HAITANG_WRITE_RATE_LIMIT: '10000000', HAITANG_WRITE_RATE_LIMIT_PER_IP: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  // Generous: on a shared 2-core machine under other test runs a start can take 30 s (no timing is asserted here).
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Haitang exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Haitang did not start within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let token: string;
  try {
    token = options.token ?? await signIn(baseUrl, TEST_ADMIN.username, TEST_ADMIN.password);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    baseUrl,
    token,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ClientOptions {
  /** Called with every answer (e.g. AnswerSchemas.check, to hold it to the OpenAPI document); what it throws fails the call. */
  readonly onAnswer?: (method: string, path: string, answer: Answer) => void;
}

/** A tiny JSON client over real HTTP, sending `Authorization: Bearer <token>` when given a token. */
export function client(baseUrl: string, token?: string, options: ClientOptions = {}) {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const init: RequestInit = { method, headers: { ...auth, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* keep text */
    }
    const answer: Answer<T> = { status: response.status, headers: response.headers, body: parsed as T };
    options.onAnswer?.(method, path, answer);
    return answer;
  }
  return {
    call,
    get: <T = any>(path: string) => call<T>('GET', `/api/v1${path}`),
    post: <T = any>(path: string, body: unknown = {}, headers: Record<string, string> = {}) => call<T>('POST', `/api/v1${path}`, body, headers),
    async head(): Promise<number> {
      return (await call('GET', '/api/v1/events?limit=1')).body.head;
    },
  };
}
