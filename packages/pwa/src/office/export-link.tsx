// A link to one of the server's streamed exports (ZIP of files, CSV of the audit log) for the filters on screen.

/** The server's export routes (under `/api`, a server path the service worker never answers). */
export const EXPORT_PATHS = {
  files: '/api/files/export.zip',
  audit: '/api/audit/export.csv',
} as const;

/** The export URL for `filters` (the same JSON `files.list` / `audit.list` take), or all rows without any. */
export function exportUrl(kind: keyof typeof EXPORT_PATHS, filters: object): string {
  const path = EXPORT_PATHS[kind];
  return Object.keys(filters).length === 0
    ? path
    : `${path}?filters=${encodeURIComponent(JSON.stringify(filters))}`;
}

/** Props for {@link ExportLink}. */
export interface ExportLinkProps {
  kind: keyof typeof EXPORT_PATHS;
  filters: object;
  label: string;
  online: boolean;
}

/**
 * A plain link, not a fetch: the browser streams the export straight to disk (a ZIP may be gigabytes) and
 * the session cookie goes along by itself. Offline it is shown disabled with the reason.
 */
export function ExportLink({ kind, filters, label, online }: ExportLinkProps) {
  if (!online)
    return (
      <button type="button" className="office-button office-button--quiet" disabled>
        {label} (needs the server)
      </button>
    );
  return (
    <a
      className="office-link-button office-export"
      href={exportUrl(kind, filters)}
      download
      data-testid={`export-${kind}`}
    >
      {label}
    </a>
  );
}
