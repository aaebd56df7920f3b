// Main navigation between the sections the signed-in role may open; plain links, upgraded to in-app navigation on a normal click.
import type { MouseEvent } from 'react';
import type { Role } from '@fieldvault/shared/schemas';
import { sectionsFor, type Section } from './routes';

/** Props for {@link MainNav}. */
export interface MainNavProps {
  current: Section | undefined;
  navigate: (path: string) => void;
  /** The signed-in user's role (from auth.me): only the sections it may open are linked. */
  role: Role;
}

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/** The section links for the user's role; the current one carries `aria-current="page"`. */
export function MainNav({ current, navigate, role }: MainNavProps) {
  const sections = sectionsFor(role);
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
