// The facts of a file as a description list: where it belongs, when it was captured and received, its hash and retention.
import type { FileRecord } from '@fieldvault/shared/schemas';
import { formatBytes, formatDateTime, formatDay } from './format';

/** "Locked until 2033-11-23" while retention runs, else when it ended (or that the type has none). */
export function retentionText(retentionUntil: string | null, now = Date.now()): string {
  if (retentionUntil === null) return 'No retention period';
  const day = formatDay(retentionUntil);
  return Date.parse(retentionUntil) > now ? `Locked until ${day}` : `Retention ended ${day}`;
}

/** Props for {@link FileFacts}. */
export interface FileFactsProps {
  file: FileRecord;
}

/** The file's metadata. */
export function FileFacts({ file }: FileFactsProps) {
  const facts: [string, string][] = [
    ['System', `${file.system} / ${file.objectType}`],
    ['Object id', file.objectId],
    ['Size', `${formatBytes(file.size)} (${file.size.toLocaleString('en-GB')} bytes)`],
    ['Type', file.contentType],
    ['Captured', formatDateTime(file.capturedAt)],
    // A calendar day as printed on the receipt: shown as sent, never moved through a time zone.
    ['Receipt date', file.receiptDate ?? 'Not given'],
    ['Received', formatDateTime(file.receivedAt)],
    ['Device', file.deviceLabel ?? 'Unknown'],
    ['Uploaded by', file.uploadedBy],
    ['Retention', retentionText(file.retentionUntil)],
    ['SHA-256', file.sha256],
    ['Storage key', file.key],
  ];
  const device = facts.findIndex(([term]) => term === 'Device');
  if (file.deletedAt !== null) facts.splice(device, 0, ['Deleted', formatDateTime(file.deletedAt)]);
  return (
    <dl className="file-facts">
      {facts.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt>{term}</dt>
          <dd data-testid={`fact-${term.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
