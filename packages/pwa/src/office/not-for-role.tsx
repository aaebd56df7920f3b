// The page a user sees when they open a section their role may not use: says so, and offers their own start page.
import type { Role } from '@fieldvault/shared/schemas';
import { homeFor, type Section } from '../ui/routes';
import { ViewLayout } from '../ui/views/view-layout';

/** Props for {@link NotForRole}. */
export interface NotForRoleProps {
  section: Section;
  role: Role;
  focusHeading: boolean;
  navigate: (path: string) => void;
}

/** "Files is not available for your role (field)", with a link to where this role starts. */
export function NotForRole({ section, role, focusHeading, navigate }: NotForRoleProps) {
  const home = homeFor(role);
  return (
    <ViewLayout title="Not available for your role" focusHeading={focusHeading}>
      <p data-testid="not-for-role">
        {section.label} is not available for your role ({role}). Ask an administrator if you need
        it.
      </p>
      {home ? (
        <p>
          <a
            href={home.path}
            onClick={(event) => {
              event.preventDefault();
              navigate(home.path);
            }}
          >
            Go to {home.label}
          </a>
        </p>
      ) : null}
    </ViewLayout>
  );
}
