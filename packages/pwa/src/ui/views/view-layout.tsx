// Common frame of a view: its heading (focused after in-app navigation, for screen readers) and body.
import { useEffect, useRef, type ReactNode } from 'react';

/** Props for {@link ViewLayout}. */
export interface ViewLayoutProps {
  title: string;
  /** Move focus to the heading when the view appears (after an in-app navigation, not on page load). */
  focusHeading: boolean;
  children: ReactNode;
}

/** A view's `<h1>` and content. */
export function ViewLayout({ title, focusHeading, children }: ViewLayoutProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusHeading, title]);
  return (
    <section className="view" aria-labelledby="view-title">
      <h1 id="view-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
