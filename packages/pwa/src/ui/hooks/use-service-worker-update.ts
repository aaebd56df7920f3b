// React hook over the service-worker update flow.
import { useSyncExternalStore } from 'react';
import type { ServiceWorkerController, UpdateState } from '../../sw/register';

/** The update state of `controller`, re-rendering when a new version starts or stops waiting. */
export function useServiceWorkerUpdate(controller: ServiceWorkerController): UpdateState {
  return useSyncExternalStore(controller.subscribe, controller.getState);
}
