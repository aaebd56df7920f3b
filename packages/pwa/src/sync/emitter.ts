// A tiny typed event emitter: how the engine tells the UI about progress and state without knowing React.

/** Subscribe/unsubscribe and emit for an event map `{ name: payload }`. */
export interface Emitter<Events extends Record<string, unknown>> {
  /** Adds a listener; returns the function that removes it (fits `useSyncExternalStore`). */
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void;
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
}

/** Creates an emitter. A throwing listener is reported to `onError` and does not stop the others. */
export function createEmitter<Events extends Record<string, unknown>>(
  onError: (error: unknown) => void = () => {},
): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          (listener as (p: typeof payload) => void)(payload);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
