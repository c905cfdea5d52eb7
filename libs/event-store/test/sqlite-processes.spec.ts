import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../src';
import { ROOT, requireBuild } from '../../../test/support/built';
import { collect } from './event-store.contract';

const WRITER = join(ROOT, 'test', 'support', 'append-writer.js');

function startWriter(file: string, writerId: number, count: number) {
  const child = spawn(process.execPath, [WRITER, file, String(writerId), String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acknowledged: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  createInterface({ input: child.stdout }).on('line', (line) => acknowledged.push(line));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acknowledged, exited, stderr: () => stderr };
}

describe('SQLite event store shared by several processes', () => {
  let dir: string;
  beforeAll(() => requireBuild());
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-proc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a follower never misses or repeats an event while 8 writer processes append', async () => {
    const file = join(dir, 'events.sqlite');
    const follower = new SqliteEventStore({ file });
    const perWriter = 150;
    const seen = collect(follower, 0, 8 * perWriter, 60_000);
    const writers = Array.from({ length: 8 }, (_, w) => startWriter(file, w, perWriter));
    const codes = await Promise.all(writers.map((w) => w.exited));
    expect(codes).toEqual(Array(8).fill(0));
    const events = await seen;
    expect(events.map((e) => e.position)).toEqual(Array.from({ length: 8 * perWriter }, (_, i) => i + 1));
    const acknowledged = writers.flatMap((w) => w.acknowledged);
    expect(new Set(events.map((e) => e.eventId))).toEqual(new Set(acknowledged));
    await follower.close();
  });

  it('keeps every acknowledged event when a writer is killed with SIGKILL mid-load', async () => {
    const file = join(dir, 'events.sqlite');
    for (let round = 0; round < 3; round++) {
      const writer = startWriter(file, round, 1_000_000);
      while (writer.acknowledged.length < 50 + round * 100) await new Promise((r) => setTimeout(r, 5));
      writer.child.kill('SIGKILL');
      await writer.exited;
      const acknowledged = [...writer.acknowledged];
      const store = new SqliteEventStore({ file });
      const all = await store.readAll(0, 10_000_000);
      const stored = new Set(all.map((e) => e.eventId));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
      await store.close();
    }
  });
});
