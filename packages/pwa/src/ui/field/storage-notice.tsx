// Device storage in words: how much FieldVault uses, and a warning before the quota runs out.
import { formatBytes, type StorageUsage } from '../../device/storage';

/** Props for {@link StorageNotice}. */
export interface StorageNoticeProps {
  usage: StorageUsage | null;
  low: boolean;
}

/** Nothing when the browser gives no estimate. */
export function StorageNotice({ usage, low }: StorageNoticeProps) {
  if (!usage) return null;
  const used = `${formatBytes(usage.usage)} of ${formatBytes(usage.quota)}`;
  if (!low)
    return (
      <p className="storage-usage" data-testid="storage-usage">
        Storage on this device: {used} used.
      </p>
    );
  return (
    <p className="notice notice--warning" role="alert" data-testid="storage-usage">
      Storage on this device is nearly full ({used} used). Upload or discard captures in the Outbox;
      new captures may be refused.
    </p>
  );
}
