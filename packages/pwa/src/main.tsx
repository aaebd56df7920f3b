// Entry point: registers the service worker and mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Workbox } from 'workbox-window';
import { createLogger } from './log/logger';
import { startServiceWorker } from './sw/register';
import { App } from './ui/app';
import './ui/app.css';

const log = createLogger('app');

// The dev server does not serve the injectManifest worker, so only production builds register one.
const serviceWorker = startServiceWorker({
  createWorkbox: () =>
    import.meta.env.PROD && 'serviceWorker' in navigator ? new Workbox('/sw.js', { scope: '/' }) : null,
  reload: () => window.location.reload(),
  log,
});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App serviceWorker={serviceWorker} />
  </StrictMode>,
);
