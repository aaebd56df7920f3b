// A one-shot query for office panels: loading, data or the error in words, and a reload.
import { useCallback, useEffect, useState } from 'react';

/** Where a query stands. */
export type QueryState<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; message: string };

/** Runs `run` on mount and on `reload()`; `run` must be stable (wrap it in useCallback). */
export function useQuery<T>(run: () => Promise<T>) {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const reload = useCallback(async () => {
    try {
      setState({ status: 'ready', data: await run() });
    } catch (error) {
      setState({
        status: 'error',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }, [run]);
  useEffect(() => void reload(), [reload]);
  return { state, reload };
}
