// Banner offering to reload into a new version once its service worker is installed and waiting.
import type { ServiceWorkerController } from '../sw/register';
import { useServiceWorkerUpdate } from './hooks/use-service-worker-update';

/** Props for {@link UpdatePrompt}. */
export interface UpdatePromptProps {
  serviceWorker: ServiceWorkerController;
}

/** Shows "A new version is ready — Reload" while an update waits; renders nothing otherwise. */
export function UpdatePrompt({ serviceWorker }: UpdatePromptProps) {
  const state = useServiceWorkerUpdate(serviceWorker);
  if (state !== 'waiting' && state !== 'applying') return null;
  return (
    <aside className="update-prompt" aria-label="Update available">
      <p role="status">A new version of FieldVault is ready.</p>
      <button type="button" onClick={serviceWorker.applyUpdate} disabled={state === 'applying'}>
        {state === 'applying' ? 'Reloading…' : 'Reload'}
      </button>
    </aside>
  );
}
