// The integrity badges of a file as a list: verdict of the hash check, and a link to the original of a duplicate.
import type { FileRecord } from '@fieldvault/shared/schemas';
import type { FormatOptions } from './format';
import { integrityBadges } from './integrity';
import { goTo } from './use-url';

/** Props for {@link IntegrityBadges}. */
export interface IntegrityBadgesProps {
  file: FileRecord;
  format?: FormatOptions;
}

/** Renders {@link integrityBadges} for `file`. */
export function IntegrityBadges({ file, format }: IntegrityBadgesProps) {
  return (
    <ul className="badges" aria-label="Integrity">
      {integrityBadges(file, format).map((badge) => {
        const link = badge.link;
        return (
          <li
            key={`${badge.kind}:${link?.to ?? ''}`}
            className="badge"
            data-tone={badge.tone}
            data-testid={`badge-${badge.kind}`}
          >
            {badge.text}
            {link ? (
              <>
                {' '}
                <a
                  href={link.to}
                  onClick={(event) => {
                    event.preventDefault();
                    goTo(link.to);
                  }}
                >
                  {link.label}
                </a>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
