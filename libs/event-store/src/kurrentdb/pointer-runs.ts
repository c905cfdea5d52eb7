/**
 * The log stream holds one pointer per Haitang event, `{ stream, version }`,
 * in commit order; `readAll` turns a page of pointers into the events they
 * point to. Reading each event alone would cost a round trip per event, so
 * the pointers are grouped into runs, each of consecutive versions of one
 * stream, read with one `readStream` each.
 *
 * Within one page a stream's versions are in fact always consecutive: a
 * stream's versions and its positions grow together, and the log has no
 * gaps, so every version between two of the page's versions of a stream is
 * in the page too. Runs are split all the same whenever a version does not
 * follow the previous one, so a page read never depends on that reasoning.
 */
export interface LogPointer {
  readonly stream: string;
  readonly version: number;
}

export interface PointerRun {
  readonly stream: string;
  readonly fromVersion: number;
  /** Where in the page each event of the run goes: slots[i] is the index of version fromVersion + i. */
  readonly slots: readonly number[];
}

/** The runs of a page of pointers, in the order of their first pointer. */
export function pointerRuns(pointers: readonly LogPointer[]): PointerRun[] {
  const runs: { stream: string; fromVersion: number; slots: number[] }[] = [];
  const open = new Map<string, { stream: string; fromVersion: number; slots: number[] }>();
  pointers.forEach((pointer, index) => {
    const run = open.get(pointer.stream);
    if (run && run.fromVersion + run.slots.length === pointer.version) {
      run.slots.push(index);
      return;
    }
    const started = { stream: pointer.stream, fromVersion: pointer.version, slots: [index] };
    runs.push(started);
    open.set(pointer.stream, started);
  });
  return runs;
}

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
