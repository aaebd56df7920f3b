// The app shell: skip link, header, main navigation, the current view (sign-in when signed out), iOS note, update banner.
import { useCallback, useEffect, useState } from 'react';
import type { ServiceWorkerController } from '../sw/register';
import type { AppDeps } from './app-deps';
import { AppHeader } from './app-header';
import { IosInstallHint } from './field/ios-install-hint';
import { useLocation } from './hooks/use-location';
import { useSession } from './hooks/use-session';
import { useSync } from './hooks/use-sync';
import { useSyncUser } from './hooks/use-sync-user';
import { MainNav } from './main-nav';
import { findSection, HOME_PATH } from './routes';
import { SignedInMain } from './signed-in-main';
import { UpdatePrompt } from './update-prompt';
import { SignInView } from './views/sign-in-view';
import { syncUserOf } from '../sync/ownership';
import { forgetOfficeCopies } from '../office/use-office-caches';

/** Props for {@link App}. */
export interface AppProps {
  serviceWorker: ServiceWorkerController;
  deps: AppDeps;
}

/** What sign-out says: the session is gone from this device, the captures are not. */
export function signedOutMessage(pending: number): string {
  const kept =
    pending === 0
      ? 'Nothing was waiting to upload.'
      : pending === 1
        ? '1 capture stays on this device and uploads after the next sign-in here.'
        : `${pending} captures stay on this device and upload after the next sign-in here.`;
  return `You are signed out. ${kept}`;
}

/** Root component. */
export function App({ serviceWorker, deps }: AppProps) {
  const { pathname, navigate, replace, navigations } = useLocation();
  const section = findSection(pathname);
  const { state, signIn, signOut } = useSession(deps.sessionStore, deps.authApi);
  const me = state.status === 'signed-in' ? state.me : null;
  const user = useSyncUser(me);
  const sync = useSync(deps.outbox, deps.hashClient, user);
  const [signedOutNotice, setSignedOutNotice] = useState<string | null>(null);
  const { pending } = sync;
  const signOutKeepingCaptures = useCallback(async () => {
    await signOut();
    // The office desk's offline lists and previews hold org data: they go with the session, captures stay.
    await forgetOfficeCopies().catch(() => undefined);
    setSignedOutNotice(signedOutMessage(pending));
  }, [signOut, pending]);

  // `/` has no view of its own; replace it so Back does not bounce the user between `/` and Capture.
  useEffect(() => {
    if (pathname === '/') replace(HOME_PATH);
  }, [pathname, replace]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader
        pending={me ? sync.pending : null}
        onSignOut={me ? () => void signOutKeepingCaptures() : null}
      />
      {me ? <MainNav current={section} navigate={navigate} role={me.role} /> : null}
      <main id="main" className="app-main">
        <IosInstallHint />
        {state.status === 'loading' || pathname === '/' ? null : me ? (
          <SignedInMain
            deps={deps}
            me={me}
            user={user ?? syncUserOf(me)}
            sync={sync}
            section={section}
            focusHeading={navigations > 0}
            navigate={navigate}
            signOut={signOutKeepingCaptures}
          />
        ) : (
          <SignInView signIn={signIn} notice={signedOutNotice} />
        )}
      </main>
      <UpdatePrompt serviceWorker={serviceWorker} />
    </div>
  );
}
