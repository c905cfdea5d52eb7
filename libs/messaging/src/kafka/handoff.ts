/**
 * Hands values from a push source (kafkajs calls our eachBatch) to a pull
 * consumer (an async iterator), one at a time: `put` resolves only once the
 * value was taken, so the source fetches nothing more meanwhile (backpressure).
 */
export class Handoff<T> {
  private readonly offered: { value: T; taken: () => void }[] = [];
  private taker: ((value: T | undefined) => void) | null = null;
  private failure: Error | null = null;
  private ended = false;

  /** Offers a value; resolves when the consumer has taken it (or the handoff ended). */
  put(value: T): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((taken) => {
      if (this.taker) {
        const take = this.taker;
        this.taker = null;
        take(value);
        taken();
        return;
      }
      this.offered.push({ value, taken });
    });
  }

  /** The next value; undefined once `signal` aborted or the handoff ended; throws what `fail` was given. */
  take(signal?: AbortSignal): Promise<T | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const next = this.offered.shift();
    if (next) {
      next.taken();
      return Promise.resolve(next.value);
    }
    if (this.ended || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.taker = null;
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.taker = (value) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      this.rejectTaker = (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
    });
  }

  private rejectTaker: ((error: Error) => void) | null = null;

  /** The source failed: the waiting and every later `take` throws `error`. */
  fail(error: Error): void {
    this.failure = error;
    if (this.taker) {
      this.taker = null;
      this.rejectTaker?.(error);
    }
  }

  /** No more values: releases every waiting `put` and `take`. */
  end(): void {
    this.ended = true;
    for (const { taken } of this.offered.splice(0)) taken();
    const take = this.taker;
    this.taker = null;
    take?.(undefined);
  }
}
