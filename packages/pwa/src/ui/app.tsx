// The app shell: skip link, header, main navigation, the current view, and the update banner.
import { useEffect } from 'react';
import type { ServiceWorkerController } from '../sw/register';
import { AppHeader } from './app-header';
import { useLocation } from './hooks/use-location';
import { MainNav } from './main-nav';
import { findSection, HOME_PATH } from './routes';
import { UpdatePrompt } from './update-prompt';
import { SectionView } from './views/section-view';

/** Props for {@link App}. */
export interface AppProps {
  serviceWorker: ServiceWorkerController;
}

/** Root component. */
export function App({ serviceWorker }: AppProps) {
  const { pathname, navigate, replace, navigations } = useLocation();
  const section = findSection(pathname);

  // `/` has no view of its own; replace it so Back does not bounce the user between `/` and Capture.
  useEffect(() => {
    if (pathname === '/') replace(HOME_PATH);
  }, [pathname, replace]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader />
      <MainNav current={section} navigate={navigate} />
      <main id="main" className="app-main">
        {pathname === '/' ? null : (
          <SectionView section={section} focusHeading={navigations > 0} navigate={navigate} />
        )}
      </main>
      <UpdatePrompt serviceWorker={serviceWorker} />
    </div>
  );
}
