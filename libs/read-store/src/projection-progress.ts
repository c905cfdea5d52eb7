/** How far the read models have caught up with the log (for read-your-writes). */
export interface ProjectionProgress {
  /** The log position every projection has reached. */
  readonly position: number;
  /** Resolves true once `position` is projected, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
  /**
   * Changes whenever projected events may have moved a stream to another owner
   * (see `movesOwnership`) or the read models were reset: what was read about
   * owners under an earlier epoch may be out of date, what was read under the
   * current one is not.
   */
  readonly ownershipEpoch: number;
}

/** Waiters on a position, shared by the in-thread runner and the worker-thread projector. */
export class PositionWaiters {
  private waiters: { position: number; resolve: (ok: boolean) => void }[] = [];
  /** See ProjectionProgress.ownershipEpoch. */
  ownershipEpoch = 0;

  constructor(public position = 0) {}

  /** After a rebuild the projected position may move back (or forward). */
  reset(position: number): void {
    this.position = position;
    this.ownershipEpoch++;
    this.release();
  }

  /** `moved`: the events up to `position` may have moved a stream to another owner (true when unknown). */
  advance(position: number, moved = false): void {
    if (moved) this.ownershipEpoch++;
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
