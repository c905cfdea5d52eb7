import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, freePort, type HaitangProcess, startHaitang } from './support/haitang-process';
import { describePostgres } from './support/postgres';
import { POSTGRES } from './support/storage-backends';

const ROOT = join(__dirname, '..');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface ProjectorProcess { child: ChildProcess; url: string; exited: Promise<unknown>; output(): string }

/** `node dist/apps/projector/src/main.js` with the same stores, /health on a free port. */
async function startProjector(env: Record<string, string>): Promise<ProjectorProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'projector', 'src', 'main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`the projector exited (${child.exitCode}):\n${output}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { child, url, exited, output: () => output };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the projector did not answer /health within 60 s:\n${output}`);
}

async function stop(p: ProjectorProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

/**
 * DESIGN §4, "in between": API processes set to HAITANG_PROJECTOR=external
 * answer commands and queries, and separate projector processes
 * (apps/projector) keep the PostgreSQL read models — one applying, the others
 * standing by. Without a projector the figures wait (and say so); with one
 * they follow; when it is killed a standby takes over; nothing is counted twice.
 */
describePostgres('the projector as its own process (apps/projector) with HAITANG_PROJECTOR=external', () => {
  let dir: string;
  let env: Record<string, string>;
  let app: HaitangProcess;
  const projectors: ProjectorProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-projector-app-'));
    env = { ...(await POSTGRES.prepare()), HAITANG_PROJECTOR: 'external' };
    app = await startHaitang(dir, env);
  });
  afterAll(async () => {
    for (const p of projectors) await stop(p, 'SIGKILL');
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('figures wait for a projector, follow one, survive its crash through a standby, and never count twice', async () => {
    const api = client(app.baseUrl, app.token);
    const must = async (r: Promise<{ status: number; body: any }>) => {
      const answer = await r;
      if (answer.status >= 300) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    const unit = (await must(api.post('/org-units', { kind: 'district', name: '姑苏区' }))).id as string;
    // Without a projector nothing is projected: a read that must see the unit says the figures are behind.
    const waiting = await api.get(`/org-units/${unit}?minPosition=${(await api.get('/events?limit=1')).body.head}`);
    expect([waiting.status, waiting.body.code]).toEqual([503, 'read-models-behind']);

    const first = await startProjector(env);
    projectors.push(first);
    // Staff work goes on while projectors come and go.
    const volunteer = (await must(api.post('/volunteers', { homeOrgUnitId: unit, displayName: '俞阿姨' }))).id as string;
    const record = (minutes: number) => must(api.post('/service-records', {
      volunteerId: volunteer, orgUnitId: unit, category: 'digital-inclusion', serviceDate: '2026-11-20', minutes, description: '教老人用手机',
    }));
    let expected = 0;
    for (const minutes of [30, 45, 60]) {
      await record(minutes);
      expected += minutes;
    }
    const second = await startProjector(env);
    projectors.push(second);
    const hoursAt = async (position: number) => (await must(api.get(`/volunteers/${volunteer}/hours?minPosition=${position}`))).approvedMinutes as number;
    let last = (await record(15)).position as number;
    expected += 15;
    expect(await hoursAt(last)).toBe(expected);
    const healthOf = async (p: ProjectorProcess) => (await (await fetch(`${p.url}/health`)).json()) as { status: string; role: string; behind: number; projectedPosition: number };
    const roles = async () => Promise.all([first, second].map(async (p) => (await healthOf(p)).role));
    expect((await roles()).sort()).toEqual(['active', 'standby']);

    // The active one dies mid-stream (kill -9): the standby takes over from the checkpoints.
    const active = (await roles())[0] === 'active' ? first : second;
    const standby = active === first ? second : first;
    await stop(active, 'SIGKILL');
    for (const minutes of [20, 25, 35]) {
      last = (await record(minutes)).position as number;
      expected += minutes;
    }
    expect(await hoursAt(last)).toBe(expected);
    const health = await healthOf(standby);
    expect(health).toMatchObject({ status: 'ok', role: 'active', source: 'event store', behind: 0 });
    expect(health.projectedPosition).toBeGreaterThanOrEqual(last);
    const metrics = await (await fetch(`${standby.url}/metrics`)).text();
    expect(metrics).toMatch(/^haitang_projector_active 1$/m);
  }, 180_000);

  it('refuses to start without PostgreSQL read models, saying why', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'projector', 'src', 'main.js')], {
      env: { ...process.env, PORT: String(port), HAITANG_READ_STORE: 'sqlite' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(output).toMatch(/set HAITANG_READ_STORE=postgres/);
  });
});
