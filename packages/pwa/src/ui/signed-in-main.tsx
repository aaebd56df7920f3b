// The signed-in part of the shell: engine wiring, then Capture, Outbox or the other sections' views.
import type { Me } from '@fieldvault/shared/schemas';
import type { AppDeps } from './app-deps';
import { useCapture } from './hooks/use-capture';
import type { SyncView } from './hooks/use-sync';
import type { SyncUser } from '../sync/ownership';
import { NotForRole } from '../office/not-for-role';
import { isOfficeSection, OfficeSection } from '../office/office-section';
import { sectionAllowed, type Section } from './routes';
import { CaptureView } from './views/capture-view';
import { OutboxView } from './views/outbox-view';
import { SectionView } from './views/section-view';

/** Props for {@link SignedInMain}. */
export interface SignedInMainProps {
  deps: AppDeps;
  me: Me;
  /** `me` as the capture form records it (stable while the same user is signed in). */
  user: SyncUser;
  sync: SyncView;
  section: Section | undefined;
  focusHeading: boolean;
  navigate: (path: string) => void;
  signOut: () => Promise<void>;
}

/** Picks the view for the section; Capture saves through the outbox and then nudges the engine. */
export function SignedInMain({
  deps,
  me,
  user,
  sync,
  section,
  focusHeading,
  navigate,
  signOut,
}: SignedInMainProps) {
  const capture = useCapture({ deps, user, sync });

  if (section && !sectionAllowed(section, me.role))
    return (
      <NotForRole
        section={section}
        role={me.role}
        focusHeading={focusHeading}
        navigate={navigate}
      />
    );
  if (section && isOfficeSection(section))
    return <OfficeSection me={me} section={section} focusHeading={focusHeading} />;
  if (section?.path === '/capture')
    return <CaptureView focusHeading={focusHeading} capture={capture} />;
  if (section?.path === '/outbox')
    return (
      <OutboxView
        focusHeading={focusHeading}
        sync={sync}
        signInAgain={sync.signInNeeded ? () => void signOut() : null}
      />
    );
  return <SectionView section={section} focusHeading={focusHeading} navigate={navigate} />;
}
