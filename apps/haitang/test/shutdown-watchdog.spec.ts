import { ShutdownWatchdog } from '../src/shutdown-watchdog';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ShutdownWatchdog', () => {
  let watchdog: ShutdownWatchdog;
  let logged: string[];
  let ends: number;

  beforeEach(() => {
    logged = [];
    ends = 0;
    watchdog = new ShutdownWatchdog({ timeoutMs: 50, log: (m) => logged.push(m), end: () => (ends += 1) });
  });
  afterEach(() => watchdog.disarm());

  it('ends the process when the stop outlasts its time, naming the steps still under way', async () => {
    let release!: () => void;
    void watchdog.step('event log', () => new Promise<void>((resolve) => (release = resolve)));
    await watchdog.step('accounts', async () => undefined);
    watchdog.arm();
    await sleep(120);
    expect(ends).toBe(1);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('did not stop within 0.1 s');
    expect(logged[0]).toContain('still closing: event log');
    expect(logged[0]).not.toContain('accounts');
    release();
  });

  it('blames the HTTP server when no store is still closing', async () => {
    watchdog.arm();
    await sleep(120);
    expect(ends).toBe(1);
    expect(logged[0]).toContain('HTTP server');
  });

  it('does nothing before it is armed, and counts once however often it is armed', async () => {
    await sleep(80);
    expect(ends).toBe(0);
    watchdog.arm();
    await sleep(30);
    watchdog.arm(); // a second signal does not restart the count
    await sleep(40);
    expect(ends).toBe(1);
  });

  it('ends the process at once on a second stop signal, and only once', async () => {
    watchdog.signalled();
    await sleep(10);
    expect(ends).toBe(0);
    watchdog.signalled();
    expect(ends).toBe(1);
    expect(logged[0]).toContain('was told to stop again before it had stopped');
    await sleep(80); // the first signal's count ends nothing more
    watchdog.signalled();
    expect(ends).toBe(1);
    expect(logged).toHaveLength(1);
  });

  it('ends the process even when its log line cannot be written', async () => {
    watchdog = new ShutdownWatchdog({ timeoutMs: 20, log: () => { throw new Error('stdout closed'); }, end: () => (ends += 1) });
    watchdog.arm();
    await sleep(60);
    expect(ends).toBe(1);
  });

  it('passes each step its result and its failure unchanged, and forgets it either way', async () => {
    await expect(watchdog.step('read models', async () => 42)).resolves.toBe(42);
    await expect(watchdog.step('projector', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(watchdog.waitingFor).toEqual([]);
  });

  it('never keeps the process alive by itself', () => {
    watchdog.arm();
    const timer = (watchdog as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
  });
});
