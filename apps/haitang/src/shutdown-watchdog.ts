/**
 * A stop that does not finish must not keep Haitang half-stopped: no longer
 * answering, but still holding its port and its files, until someone kills it.
 *
 * When the first SIGTERM or SIGINT arrives, Nest closes the HTTP server and
 * then the stores (each module's onApplicationShutdown). The watchdog starts
 * counting at that moment; if the process is still alive `timeoutMs` later it
 * logs what had not finished and ends the process at once (`end`: main()
 * flushes the log and sends itself SIGKILL). Not process.exit(): it joins
 * every thread first, and a thread inside a SQLite call that waits for a lock
 * returns only when its busy timeout has passed, after which better-sqlite3
 * aborts the process, throwing into a thread being torn down (found by
 * test/shutdown.e2e.spec.ts; WiseLibs/better-sqlite3#842). Nothing
 * acknowledged is lost: every append was durable before it was answered, a
 * transaction under way is rolled back at the next start, and the read
 * models carry on from their checkpoints.
 */
export class ShutdownWatchdog {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: {
    readonly timeoutMs: number;
    readonly log: (message: string) => void;
    /** Ends the process (it must not return to a stop that hangs). */
    readonly end: () => void;
  }) {}

  /** Starts counting (the stop began); later calls change nothing. */
  arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.expire(), this.options.timeoutMs);
    // The watchdog itself never keeps the process alive.
    this.timer.unref();
  }

  /** Stops counting (for tests, and for a caller that stops the process another way). */
  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs one step of the stop under its name, so a step that hangs can be named. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.pending.add(name);
    try {
      return await work();
    } finally {
      this.pending.delete(name);
    }
  }

  /** The steps under way, in the order they started. */
  get waitingFor(): readonly string[] {
    return [...this.pending];
  }

  private expire(): void {
    const seconds = Math.round(this.options.timeoutMs / 100) / 10;
    const waiting = this.pending.size > 0
      ? `still closing: ${this.waitingFor.join(', ')}`
      : 'the HTTP server was still finishing requests under way';
    this.options.log(`Haitang did not stop within ${seconds} s (${waiting}); ending it now. Every acknowledged change is already on disk.`);
    this.options.end();
  }
}

/**
 * The process's watchdog: the stores' shutdown hooks name their steps through
 * it, and main() arms it on the first SIGTERM or SIGINT (watchStop). Its timeout is
 * set from the configuration at start (HAITANG_SHUTDOWN_TIMEOUT); until then,
 * and in tests that build the app in-process, it is never armed.
 */
let processWatchdog: ShutdownWatchdog | null = null;

/** Names one step of the stop (see ShutdownWatchdog.step); without a watchdog it just runs it. */
export function shutdownStep<T>(name: string, work: () => Promise<T>): Promise<T> {
  return processWatchdog ? processWatchdog.step(name, work) : work();
}

/** Installs the process's watchdog: armed by the first SIGTERM or SIGINT. */
export function watchStop(options: ConstructorParameters<typeof ShutdownWatchdog>[0]): ShutdownWatchdog {
  const watchdog = (processWatchdog = new ShutdownWatchdog(options));
  // `once`, and registered beside Nest's own listeners: when Nest has closed everything it removes its
  // listeners and signals the process again, which then ends as a signalled process does.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => watchdog.arm());
  return watchdog;
}
