import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type HaitangProcess, startHaitang, TEST_ADMIN } from './support/haitang-process';

/**
 * The structured log a site's operator reads: one JSON line per command with the
 * request's correlation id, one access line per answered request (unless
 * HAITANG_LOG_REQUESTS=false), and never a token or a password.
 */
describe('logs', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** Runs `work` against a fresh app at LOG_LEVEL=info, stops it (the logging thread flushes at exit) and answers its JSON lines. */
  async function linesOf(env: Record<string, string>, work: (app: HaitangProcess) => Promise<void>): Promise<Record<string, any>[]> {
    const dir = mkdtempSync(join(tmpdir(), 'haitang-logs-'));
    dirs.push(dir);
    const app = await startHaitang(dir, { LOG_LEVEL: 'info', ...env });
    try {
      await work(app);
    } finally {
      await app.stop();
    }
    // Fastify's deprecation warnings go to stderr as plain text: a start should print none.
    expect(app.output()).not.toMatch(/FST(DEP|WRN)\d+/);
    return app.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }

  it('names the correlation id on the command line and on the access line, and logs no secret', async () => {
    let token = '';
    let position = 0;
    const lines = await linesOf({}, async (app) => {
      token = app.token;
      const api = client(app.baseUrl, app.token);
      const made = await api.post('/org-units', { kind: 'district', name: '吴中区' }, { 'x-correlation-id': 'corr-district-1', 'idempotency-key': 'key-district-1' });
      expect(made.status).toBe(201);
      expect(made.headers.get('x-correlation-id')).toBe('corr-district-1');
      position = made.body.position;
      // A refusal by the domain (a street must hang under a district) is logged with its id too.
      const refused = await api.post('/org-units', { kind: 'street', name: '长桥街道' }, { 'x-correlation-id': 'corr-refused-1' });
      expect(refused.status).toBe(422);
      expect(refused.body.type).not.toMatch(/validation/);
      expect((await fetch(`${app.baseUrl}/health`)).status).toBe(200);
    });

    const recorded = lines.filter((l) => l.msg === 'command recorded');
    expect(recorded).toEqual([expect.objectContaining({
      level: 30, context: 'commands', correlationId: 'corr-district-1', commandId: 'key-district-1', actor: expect.any(String), position,
    })]);
    expect(lines.filter((l) => l.msg === 'command refused')).toEqual([expect.objectContaining({ correlationId: 'corr-refused-1' })]);

    const access = lines.filter((l) => l.msg === 'request completed');
    expect(access).toEqual(expect.arrayContaining([
      expect.objectContaining({ correlationId: 'corr-district-1', req: { method: 'POST', url: '/api/v1/org-units' }, res: { statusCode: 201 }, responseTime: expect.any(Number) }),
      expect.objectContaining({ correlationId: 'corr-refused-1', res: { statusCode: 422 } }),
    ]));
    // Every access line has its own id; health probes are not logged.
    expect(access.every((l) => typeof l.correlationId === 'string' && l.correlationId.length > 0)).toBe(true);
    expect(access.some((l) => l.req.url === '/health')).toBe(false);

    const text = JSON.stringify(lines);
    expect(text).not.toContain(token);
    expect(text).not.toContain(TEST_ADMIN.password);
  });

  it('writes no access lines with HAITANG_LOG_REQUESTS=false, and still one line per command', async () => {
    const lines = await linesOf({ HAITANG_LOG_REQUESTS: 'false' }, async (app) => {
      expect((await client(app.baseUrl, app.token).post('/org-units', { kind: 'district', name: '吴中区' }, { 'x-correlation-id': 'corr-quiet-1' })).status).toBe(201);
    });
    expect(lines.filter((l) => l.msg === 'request completed')).toEqual([]);
    expect(lines.filter((l) => l.msg === 'command recorded')).toEqual([expect.objectContaining({ correlationId: 'corr-quiet-1' })]);
  });
});
