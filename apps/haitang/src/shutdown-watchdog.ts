import { ShutdownSignal } from '@nestjs/common';

/**
 * A stop that does not finish must not keep Haitang half-stopped: no longer
 * answering, but still holding its port and its files, until someone kills it.
 *
 * When a stop signal arrives, Nest closes the HTTP server and then the stores
 * (each module's onApplicationShutdown), and exits with status 0. The
 * watchdog starts counting at the first signal; if the process is still alive
 * `timeoutMs` later, or when a second signal comes (Ctrl-C pressed again), it
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
  private ended = false;

  constructor(private readonly options: {
    readonly timeoutMs: number;
    readonly log: (message: string) => void;
    /** Ends the process (it must not return to a stop that hangs). */
    readonly end: () => void;
  }) {}

  /** Starts counting (the stop began); later calls change nothing. */
  arm(): void {
    if (this.timer || this.ended) return;
    this.timer = setTimeout(() => this.expire(), this.options.timeoutMs);
    // The watchdog itself never keeps the process alive.
    this.timer.unref();
  }

  /** A stop signal: the first starts counting, the next one ends the process at once. */
  signalled(): void {
    if (this.timer) this.expire(true);
    else this.arm();
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

  private expire(again = false): void {
    if (this.ended) return;
    this.ended = true;
    this.disarm();
    const seconds = Math.round(this.options.timeoutMs / 100) / 10;
    const waiting = this.pending.size > 0
      ? `still closing: ${this.waitingFor.join(', ')}`
      : 'the HTTP server was still finishing requests under way';
    const why = again ? 'was told to stop again before it had stopped' : `did not stop within ${seconds} s`;
    try {
      this.options.log(`Haitang ${why} (${waiting}); ending it now. Every acknowledged change is already on disk.`);
    } catch {
      // The line could not be written (stdout gone): the process ends all the same.
    }
    this.options.end();
  }
}

/**
 * The process's watchdog: the stores' shutdown hooks name their steps through
 * it, and main() installs it (watchStop) on the signals Nest stops on. Its
 * timeout is set from the configuration at start (HAITANG_SHUTDOWN_TIMEOUT);
 * until then, and in tests that build the app in-process, there is none.
 */
let processWatchdog: ShutdownWatchdog | null = null;

/** Names one step of the stop (see ShutdownWatchdog.step); without a watchdog it just runs it. */
export function shutdownStep<T>(name: string, work: () => Promise<T>): Promise<T> {
  return processWatchdog ? processWatchdog.step(name, work) : work();
}

/**
 * The signals that stop Haitang gracefully, Nest's shutdown hooks and the
 * watchdog alike: SIGTERM (a service manager, docker stop), SIGINT (Ctrl-C),
 * SIGHUP (the terminal closed), SIGQUIT. Not the rest of Nest's default list:
 * a listener on SIGSEGV, SIGBUS, SIGFPE or SIGILL can hang a process that
 * really crashed (Node's documentation), and SIGUSR2 is left to diagnostics.
 */
export const STOP_SIGNALS: readonly string[] = [ShutdownSignal.SIGTERM, ShutdownSignal.SIGINT, ShutdownSignal.SIGHUP, ShutdownSignal.SIGQUIT];

/**
 * Installs the process's watchdog on the stop signals, beside Nest's own
 * listeners. It stays registered: Nest ends a completed stop with
 * process.exit (see createHaitangApp), never by signalling the process again,
 * so a later signal can only be someone asking again.
 */
export function watchStop(options: ConstructorParameters<typeof ShutdownWatchdog>[0]): ShutdownWatchdog {
  const watchdog = (processWatchdog = new ShutdownWatchdog(options));
  for (const signal of STOP_SIGNALS) process.on(signal, () => watchdog.signalled());
  return watchdog;
}
