import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type List } from './client.js';
import type { Configuration } from './types.js';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `key` changes (and on `reload()`), keeping the last answer or error. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and tick are the reasons to load again
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: useCallback(() => setTick((t) => t + 1), []),
  };
}

export interface PagedList<T> {
  items: T[];
  error: unknown;
  loading: boolean;
  page: number;
  count: number | undefined;
  hasNext: boolean;
  hasPrevious: boolean;
  next(): void;
  previous(): void;
  reload(): void;
}

/**
 * One page of a Graph list at a time, following `@odata.nextLink` forward and a stack of the pages
 * seen backward. Changing `firstUrl` starts again at page 1. Lists are never loaded whole.
 */
export function usePagedList<T>(firstUrl: string): PagedList<T> {
  const [stack, setStack] = useState<string[]>([firstUrl]);
  useEffect(() => setStack([firstUrl]), [firstUrl]);
  const current = stack[0] === firstUrl ? (stack.at(-1) ?? firstUrl) : firstUrl;
  const loaded = useLoad(() => api<List<T>>('GET', current), current);
  const nextLink = loaded.data?.['@odata.nextLink'];
  return {
    items: loaded.data?.value ?? [],
    error: loaded.error,
    loading: loaded.loading,
    page: stack.length,
    count: loaded.data?.['@odata.count'],
    hasNext: Boolean(nextLink),
    hasPrevious: stack.length > 1,
    next: () => nextLink && setStack((s) => [...s, nextLink]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reload: loaded.reload,
  };
}

/** The tenant's sync configurations (one page of the list, as the pages show them). */
export function useConfigurations(): Loaded<List<Configuration>> {
  return useLoad(() => api<List<Configuration>>('GET', '/v1.0/cloudsync/configurations'), 'configurations');
}

/**
 * A form's save: clears the last error and "saved", runs `work`, then marks the form saved and calls
 * `onSaved` — or keeps the error to show.
 * @example
 *   const { error, saved, save } = useSave(() => api('PATCH', url, body), reload);
 */
export function useSave(work: () => Promise<unknown>, onSaved: () => void) {
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(undefined);
    setSaved(false);
    try {
      await work();
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return { error, saved, save };
}
