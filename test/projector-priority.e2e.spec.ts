import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaitang } from './support/haitang-process';

/** The niceness of each thread of a process (Linux: /proc/<pid>/task/<tid>/stat, field 19). */
function nicenessOfThreads(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3, "state".
    threads.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return threads;
}

const linux = process.platform === 'linux';
if (!linux) console.log('projector-priority: skipped, thread niceness is set on Linux only');
const onLinux = linux ? describe : describe.skip;

/**
 * The standalone process runs its projector thread at a lower priority than
 * the thread answering requests (HAITANG_PROJECTOR_NICE, default 10), and only
 * that thread: the HTTP thread, the writer and the shared worker pools keep
 * theirs.
 */
onLinux('standalone: the projector thread gives way to the HTTP thread', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-nice-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the projector thread, and only it, at niceness 10 by default', async () => {
    const app = await startHaitang(dir);
    try {
      const pid = app.child.pid!;
      // The thread lowers its own priority as it starts, which may be a moment after /health first answers.
      let threads = nicenessOfThreads(pid);
      for (const deadline = Date.now() + 10_000; ![...threads.values()].includes(10) && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        threads = nicenessOfThreads(pid);
      }
      expect(threads.get(pid)).toBe(0);
      expect([...threads.values()].filter((nice) => nice === 10)).toHaveLength(1);
      expect([...threads.values()].filter((nice) => nice !== 0 && nice !== 10)).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('treats every thread alike with HAITANG_PROJECTOR_NICE=0', async () => {
    const app = await startHaitang(dir, { HAITANG_PROJECTOR_NICE: '0' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // as long as the projector thread might take to start
      expect([...nicenessOfThreads(app.child.pid!).values()].every((nice) => nice === 0)).toBe(true);
    } finally {
      await app.stop();
    }
  });
});
