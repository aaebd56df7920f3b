// Picks the view for the current path: one per section, or "not found".
import { NotReady } from './not-ready';
import { ViewLayout } from './view-layout';
import { HOME_PATH, type Section } from '../routes';

/** What each section is for, shown until its feature ships. */
const PURPOSE: Record<string, string> = {
  '/capture':
    'Photograph receipts or pick files; they are kept safe on this device, even with no signal.',
  '/outbox':
    'Captures waiting to upload, with their progress; they upload by themselves when the network is back.',
  '/files': 'Browse, verify and download the files stored in the vault, with their audit trail.',
  '/admin': 'Users, system health, reconcile reports and the audit chain status.',
};

/** Props for {@link SectionView}. */
export interface SectionViewProps {
  section: Section | undefined;
  focusHeading: boolean;
  navigate: (path: string) => void;
}

/** The current section's view, or a "Page not found" view with a way back. */
export function SectionView({ section, focusHeading, navigate }: SectionViewProps) {
  if (section === undefined) {
    return (
      <ViewLayout title="Page not found" focusHeading={focusHeading}>
        <p>
          There is no page at this address.{' '}
          <a
            href={HOME_PATH}
            onClick={(event) => {
              event.preventDefault();
              navigate(HOME_PATH);
            }}
          >
            Go to Capture
          </a>
        </p>
      </ViewLayout>
    );
  }
  return (
    <ViewLayout title={section.label} focusHeading={focusHeading}>
      <NotReady purpose={PURPOSE[section.path] ?? ''} />
    </ViewLayout>
  );
}
