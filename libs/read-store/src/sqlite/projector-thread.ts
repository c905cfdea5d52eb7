import { Worker } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { type EventStore, KurrentDbEventStore, PostgresEventStore, SqliteEventStore, storeChoice } from '@haitang/event-store';
import { PositionWaiters } from '../projection-progress';
import type { ProjectorStatus } from '../read-models.port';

/** Where the projector thread reads the log from. */
export type EventLogLocation =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'kurrentdb'; readonly url: string; readonly namespace: string };

/** Where a process started with only the environment finds the log (HAITANG_EVENT_STORE; events.sqlite in HAITANG_DATA_DIR by default). */
export function eventLogFromEnv(env: NodeJS.ProcessEnv): EventLogLocation {
  const choice = storeChoice(env, 'HAITANG_EVENT_STORE');
  return choice.kind === 'sqlite' ? { kind: 'sqlite', file: resolve(env.HAITANG_DATA_DIR ?? './data', 'events.sqlite') } : choice;
}

/** The log as a projector reads it: its own small pool, or a SQLite connection that never writes (the ledger does). */
export function openProjectorLog(location: EventLogLocation): Promise<EventStore> | EventStore {
  if (location.kind === 'postgres') return PostgresEventStore.open({ url: location.url, applicationName: 'haitang projector', poolSize: 2 });
  if (location.kind === 'kurrentdb') return KurrentDbEventStore.open({ url: location.url, namespace: location.namespace });
  return new SqliteEventStore({ file: location.file, busyTimeoutMs: 30_000, writerThread: false });
}

export interface ProjectorThreadOptions {
  readonly eventLog: EventLogLocation;
  readonly readModelsFile: string;
  /** The position already projected (read from the checkpoints at start). */
  readonly startPosition: number;
  /**
   * How much the thread's niceness is raised above the process's (0–19, default
   * 0; at most 19 in all): above 0 it yields the CPU to the HTTP thread when
   * both want it. Linux only, where niceness is per thread; elsewhere it would
   * slow the whole process, and is not set.
   */
  readonly nice?: number;
}

/**
 * Runs the projection runner on its own thread, with its own connections to
 * the event log (SQLite file or PostgreSQL) and the read-model file, so applying and committing
 * projections never holds up the HTTP thread. The HTTP thread only reads the
 * read models and learns here how far they have come.
 */
export class ProjectorThread implements ProjectorStatus {
  private readonly progress: PositionWaiters;
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private failure: Error | null = null;
  private exited = false;

  constructor(
    options: ProjectorThreadOptions,
    private readonly log: (level: 'warn' | 'error', message: string) => void = (level, message) => console[level](message),
  ) {
    this.progress = new PositionWaiters(options.startPosition);
    this.worker = new Worker(join(__dirname, 'projector-thread.worker.js'), {
      workerData: { eventLog: options.eventLog, readModelsFile: options.readModelsFile, nice: options.nice ?? 0 },
    });
    this.worker.on('message', (message: { projected?: number; moved?: boolean; reset?: number; error?: string; warning?: string }) => {
      if (message.projected !== undefined) {
        this.progress.advance(message.projected, message.moved === true);
        this.failure = null;
      }
      if (message.reset !== undefined) this.progress.reset(message.reset);
      if (message.error !== undefined) {
        this.failure = new Error(message.error);
        this.log('error', `Read models are not being updated: ${message.error} (retrying)`);
      }
      if (message.warning !== undefined) this.log('warn', message.warning);
    });
    this.worker.once('exit', () => (this.exited = true));
    this.worker.on('error', (error) => {
      this.failure = error;
      this.log('error', `The projector thread stopped: ${error.message}`);
    });
  }

  get ownershipEpoch(): number {
    return this.progress.ownershipEpoch;
  }

  get position(): number {
    return this.progress.position;
  }

  /** Set while the projector cannot apply the log (it retries), or when its thread died. */
  get error(): Error | null {
    return this.failure;
  }

  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 5000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.postMessage({ stop: true });
    });
    return this.stopped;
  }
}
