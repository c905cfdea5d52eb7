/** How far the read models have caught up with the log (for read-your-writes). */
export interface ProjectionProgress {
  /** The log position every projection has reached. */
  readonly position: number;
  /** Resolves true once `position` is projected, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
}

/** Waiters on a position, shared by the in-thread runner and the worker-thread projector. */
export class PositionWaiters {
  private waiters: { position: number; resolve: (ok: boolean) => void }[] = [];

  constructor(public position = 0) {}

  /** After a rebuild the projected position may move back (or forward). */
  reset(position: number): void {
    this.position = position;
    this.release();
  }

  advance(position: number): void {
    if (position <= this.position) return;
    this.position = position;
    this.release();
  }

  private release(): void {
    this.waiters = this.waiters.filter((w) => (w.position <= this.position ? (w.resolve(true), false) : true));
  }

  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if (position <= this.position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
