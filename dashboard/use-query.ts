import { useCallback, useEffect, useState } from 'react';
import { ApiError, gql } from './api';
import type { Session } from './session';

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload: () => void;
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

/** Loads one query with the session's token; `key` changes reload it (reconnects, ticks). */
export function useQuery<T>(session: Session, query: string, key: unknown = 0): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [n, setN] = useState(0);
  const reload = useCallback(() => setN((x) => x + 1), []);
  useEffect(() => {
    let live = true;
    session
      .token()
      .then((token) => gql<T>(session.endpoint, query, {}, token))
      .then((d) => live && (setData(d), setError(undefined)))
      .catch(
        (err: unknown) =>
          live && setError(err instanceof ApiError && err.code === 'FORBIDDEN' ? 'Your role may not see this.' : String((err as Error).message ?? err)),
      );
    return () => void (live = false);
  }, [session, query, key, n]);
  return { data, error, reload, setData };
}
