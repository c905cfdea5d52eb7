import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { haitangTypes, PostgresEventStore } from '@haitang/event-store';
import { PostgresProjector } from '../src';
import { ROOT, requireBuild } from '../../../test/support/built';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { sortedDump } from './dump';

const SCRIPT = join(ROOT, 'test', 'support', 'pg-projector.js');
const alive = (p: { child: ChildProcess }) => p.child.exitCode === null && p.child.signalCode === null;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const meta = { actor: { id: 'staff', role: 'staff', orgUnitId: 'c1' } };
const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, data, metadata: meta });

interface ProjectorProcess {
  name: string;
  child: ChildProcess;
  role: () => string;
  projected: () => number;
  exited: Promise<void>;
}

function startProjector(url: string, name: string): ProjectorProcess {
  const child = spawn(process.execPath, [SCRIPT, url, name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let role = 'starting';
  let projected = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('role ')) role = line.slice(5);
    if (line.startsWith('projected ')) projected = Number(line.slice(10));
  });
  child.stderr!.on('data', (d) => process.stderr.write(`[projector ${name}] ${d}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, role: () => role, projected: () => projected, exited };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function dump(url: string) {
  const client = new Client({ connectionString: url, types: haitangTypes });
  await client.connect();
  try {
    const rows: Record<string, Record<string, unknown>[]> = {};
    for (const t of ['unit_keys', 'volunteer_keys', 'volunteers', 'service_records', 'org_units', 'org_unit_closure', 'figure_changes']) rows[t] = (await client.query(`SELECT * FROM ${t}`)).rows;
    rows.checkpoints = (await client.query('SELECT projection, position FROM checkpoints')).rows;
    return sortedDump(rows);
  } finally {
    await client.end();
  }
}

/**
 * Several projector processes against one database: one applies (it holds the
 * projections' advisory locks), the others stand by; when the active one is
 * killed (SIGKILL, mid-load) a standby takes over from the checkpoints, and
 * nothing is counted twice or missed.
 */
describePostgres('PostgreSQL projectors in several processes', () => {
  const projectors: ProjectorProcess[] = [];
  beforeAll(() => requireBuild());
  afterAll(async () => {
    for (const p of projectors) if (alive(p)) p.child.kill('SIGKILL');
    await Promise.all(projectors.map((p) => p.exited));
  });

  it('one is active at a time; when it is killed a standby takes over, and the read models equal a from-scratch build', async () => {
    const url = await freshDatabase('takeover');
    const store = await PostgresEventStore.open({ url });
    await store.append([{ streamId: 'orgunit-c1', expectedVersion: -1, events: [event('OrgUnitRegistered.v1', { orgUnitId: 'c1', kind: 'community', name: '桃花坞社区', parentId: null })] }]);
    for (let v = 0; v < 10; v++) {
      await store.append([{ streamId: `volunteer-v${v}`, expectedVersion: -1, events: [event('VolunteerRegistered.v1', {
        volunteerId: `v${v}`, displayName: `志愿者${v}`, homeOrgUnitId: 'c1', partyMember: false, senior: false, occupation: 'other', personalData: null,
      })] }]);
    }
    projectors.push(...['A', 'B', 'C'].map((name) => startProjector(url, name)));
    await until(() => projectors.filter((p) => p.role() === 'active').length === 1 && projectors.filter((p) => p.role() === 'standby').length === 2, 'one active, two standbys');

    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const batch = Array.from({ length: 3 }, (_, k) => written + k);
        await Promise.all(batch.map((i) => store.append([{ streamId: `record-r${i}`, expectedVersion: -1, events: [event('ServiceRecorded.v1', {
          recordId: `r${i}`, volunteerId: `v${i % 10}`, orgUnitId: 'c1', category: 'environment', serviceDate: '2026-10-08', minutes: 10 + (i % 50),
          status: 'approved', source: 'staff', activityId: null, activityTitle: null, location: null, personInCharge: null, description: '巡查',
        })] }])));
        written += batch.length;
        await sleep(2);
      }
    })();

    const takeovers: string[] = [];
    for (let round = 0; round < 2; round++) {
      const active = projectors.find((p) => p.role() === 'active' && alive(p))!;
      await until(() => active.projected() > 0 && written > 60 * (round + 1), 'the active projector at work');
      active.child.kill('SIGKILL');
      await active.exited;
      await until(() => projectors.some((p) => p !== active && alive(p) && p.role() === 'active'), 'a standby to take over');
      takeovers.push(`${active.name}->${projectors.find((p) => p.role() === 'active' && alive(p))!.name}`);
    }
    writing = false;
    await writer;
    const head = await store.headPosition();
    const reader = new Client({ connectionString: url, types: haitangTypes });
    await reader.connect();
    await until(async () => (await reader.query('SELECT min(position) AS p FROM checkpoints')).rows[0].p >= head, 'the survivor to catch up');
    await reader.end();
    expect(takeovers).toHaveLength(2);
    expect(projectors.filter((p) => alive(p))).toHaveLength(1);

    // Exactly what one projector applying the whole log once gives: nothing twice, nothing missed.
    const scratchUrl = await freshDatabase('takeover_scratch');
    const scratch = await PostgresProjector.open(null, { url: scratchUrl });
    await scratch.applyBatch(await store.readAll(0, 1_000_000));
    await scratch.stop();
    expect(await dump(url)).toEqual(await dump(scratchUrl));
    const totals = new Client({ connectionString: url, types: haitangTypes });
    await totals.connect();
    const { minutes, records } = (await totals.query('SELECT sum(minutes) AS minutes, count(*) AS records FROM service_records')).rows[0];
    await totals.end();
    expect(records).toBe(written);
    expect(minutes).toBe(Array.from({ length: written }, (_, i) => 10 + (i % 50)).reduce((s, m) => s + m, 0));
    await store.close();
  });
});
