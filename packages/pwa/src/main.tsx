// Entry point: registers the service worker, creates the page's outbox/hash/session pieces, mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Workbox } from 'workbox-window';
import { createHashClient } from './hash/hash-client';
import { createLogger } from './log/logger';
import { createOutbox } from './outbox/outbox';
import { createAuthApi } from './session/auth-api';
import { createSessionStore } from './session/session-store';
import { startServiceWorker } from './sw/register';
import { withBackgroundSync } from './sw/request-sync';
import { App } from './ui/app';
import './ui/app.css';

const log = createLogger('app');

// The dev server does not serve the injectManifest worker, so only production builds register one.
const serviceWorker = startServiceWorker({
  createWorkbox: () =>
    import.meta.env.PROD && 'serviceWorker' in navigator
      ? new Workbox('/sw.js', { scope: '/' })
      : null,
  reload: () => window.location.reload(),
  log,
});

// One of each per page; React receives them as props and only renders their state.
// The outbox asks for Background Sync after each save, so the service worker uploads even if this tab is closed.
const deps = {
  outbox: withBackgroundSync(createOutbox(), { registration: serviceWorker.registration, log }),
  hashClient: createHashClient(),
  sessionStore: createSessionStore(),
  authApi: createAuthApi(),
};

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App serviceWorker={serviceWorker} deps={deps} />
  </StrictMode>,
);
