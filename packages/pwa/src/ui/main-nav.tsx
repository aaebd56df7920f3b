// Main navigation between the sections the signed-in role may open; plain links, upgraded to in-app navigation on a normal click.
import { useEffect, useState, type MouseEvent } from 'react';
import type { Role } from '@fieldvault/shared/schemas';
import { createSessionStore } from '../session/session-store';
import { sectionsFor, type Section } from './routes';

/** Props for {@link MainNav}. */
export interface MainNavProps {
  current: Section | undefined;
  navigate: (path: string) => void;
  /** The signed-in user's role; when absent it is read from the cached session (see {@link useNavRole}). */
  role?: Role;
}

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/**
 * The role to build the links for. The shell renders the nav only while signed in, and sign-in saves the
 * user to the session cache before the shell re-renders, so the cache holds the right user when a caller
 * does not pass `role`. Until it is read, no links are shown rather than links the role may not open.
 */
function useNavRole(role: Role | undefined): Role | null {
  const [cached, setCached] = useState<Role | null>(null);
  useEffect(() => {
    if (role !== undefined) return;
    let live = true;
    const store = createSessionStore();
    void store
      .load()
      .then((me) => {
        if (live) setCached(me?.role ?? null);
      })
      .catch(() => undefined)
      .finally(() => void store.close());
    return () => {
      live = false;
    };
  }, [role]);
  return role ?? cached;
}

/** The section links for the user's role; the current one carries `aria-current="page"`. */
export function MainNav({ current, navigate, role }: MainNavProps) {
  const navRole = useNavRole(role);
  const sections = navRole === null ? [] : sectionsFor(navRole);
  return (
    <nav className="main-nav" aria-label="Main">
      <ul>
        {sections.map((section) => (
          <li key={section.path}>
            <a
              href={section.path}
              aria-current={section.path === current?.path ? 'page' : undefined}
              onClick={(event) => {
                if (!isPlainLeftClick(event)) return; // let the browser open new tabs/windows
                event.preventDefault();
                navigate(section.path);
              }}
            >
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
