import { useCallback, useEffect, useState } from 'react';
import { ApiError, gql } from './api';
import type { Session } from './session';

const NONE: Record<string, unknown> = {};

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload: () => void;
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

/** Loads one query with the session's token; `key` changes reload it (reconnects, ticks), and so do changed variables. */
export function useQuery<T>(session: Session, query: string, key: unknown = 0, variables: Record<string, unknown> = NONE): Loaded<T> {
  const vars = JSON.stringify(variables);
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [n, setN] = useState(0);
  const reload = useCallback(() => setN((x) => x + 1), []);
  useEffect(() => {
    let live = true;
    session
      .token()
      .then((token) => gql<T>(session.endpoint, query, JSON.parse(vars) as Record<string, unknown>, token))
      .then((d) => live && (setData(d), setError(undefined)))
      .catch(
        (err: unknown) =>
          live && setError(err instanceof ApiError && err.code === 'FORBIDDEN' ? 'Your role may not see this.' : String((err as Error).message ?? err)),
      );
    return () => void (live = false);
  }, [session, query, key, n, vars]);
  return { data, error, reload, setData };
}
