// Picks the view for the current path: one per section, or "not found".
import { NotReady } from './not-ready';
import { ViewLayout } from './view-layout';
import { HOME_PATH, type Section } from '../routes';

/**
 * What a section is for, shown until its feature ships. Every section has its own view today (Capture and
 * Outbox in ui/views, Files, Audit and Admin in src/office), so this is the fallback for a section added to
 * routes.ts before its view.
 */
const PURPOSE: Record<string, string> = {};

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
