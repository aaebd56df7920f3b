// A table of audit entries: time, action, actor and role, IP, device, outcome (used per file and org-wide).
import type { FileHistoryEntry } from '@fieldvault/shared/schemas';
import { actionLabel, actorText, detailText } from './audit-format';
import { formatDateTime } from './format';

/** Props for {@link AuditTable}. */
export interface AuditTableProps {
  caption: string;
  /** Audit entries (`audit.list`) or a file's trail (`files.history`): the columns both carry. */
  events: readonly FileHistoryEntry[];
  /** User ids to names, when known (admins can list users; auditors see ids). */
  names?: ReadonlyMap<string, string>;
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/** Renders the entries newest first, as the server returns them. */
export function AuditTable({ caption, events, names = NO_NAMES }: AuditTableProps) {
  return (
    <div className="office-table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="office-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">IP</th>
            <th scope="col">Device</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} data-testid="audit-row" data-action={event.action}>
              <td>{event.seq}</td>
              <td>
                {formatDateTime(event.at)}
                {event.deviceAt ? ` (device ${formatDateTime(event.deviceAt)})` : ''}
              </td>
              <td>
                {actionLabel(event.action)} <code>{event.action}</code>
              </td>
              <td>{actorText(event, names)}</td>
              <td>{event.ip ?? '—'}</td>
              <td>{event.deviceLabel ?? '—'}</td>
              <td>{detailText(event)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
