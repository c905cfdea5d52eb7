import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/problem';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  /** Loads again (after a change the page made). */
  reload(): void;
}

/** Loads data for a page; reloads when `deps` change; a stale answer never overwrites a newer one. */
export function useApi<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: unknown) => ticket === latest.current
        && setState({ error: error instanceof ApiError ? error : new ApiError(0, 'client', 'Error', String(error)), loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
