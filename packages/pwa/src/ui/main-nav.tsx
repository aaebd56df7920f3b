// Main navigation between the app's sections; plain links, upgraded to in-app navigation on a normal click.
import type { MouseEvent } from 'react';
import { SECTIONS, type Section } from './routes';

/** Props for {@link MainNav}. */
export interface MainNavProps {
  current: Section | undefined;
  navigate: (path: string) => void;
}

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/** The section links; the current one carries `aria-current="page"`. */
export function MainNav({ current, navigate }: MainNavProps) {
  return (
    <nav className="main-nav" aria-label="Main">
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.path}>
            <a
              href={section.path}
              aria-current={section === current ? 'page' : undefined}
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
