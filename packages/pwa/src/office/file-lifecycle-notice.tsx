// The notice on a purged or missing file's page: when it was purged and by whom, or since when its object is missing.
import { useEffect, useState } from 'react';
import type { FileHistoryEntry, FileRecord } from '@fieldvault/shared/schemas';
import { lifecycleText } from './file-lifecycle';
import type { OfficeContext } from './office-section';
import { useUsers } from './use-users';

/** Events read to find the purge or the first missing finding: a file's trail is rarely longer. */
const TRAIL_READ = 100;

/** Props for {@link FileLifecycleNotice}. */
export interface FileLifecycleNoticeProps {
  ctx: OfficeContext;
  file: FileRecord;
}

/**
 * Says in words what a purged or missing file is; nothing for other files. The who and when come from the
 * file's audit trail; until it answers (or when it cannot) the notice says what it can without them.
 */
export function FileLifecycleNotice({ ctx, file }: FileLifecycleNoticeProps) {
  const [trail, setTrail] = useState<FileHistoryEntry[]>([]);
  const { names } = useUsers(ctx);
  const concerned = file.status === 'purged' || file.status === 'missing';
  useEffect(() => {
    if (!concerned) return;
    let live = true;
    ctx.api
      .fileHistory({ id: file.id, limit: TRAIL_READ })
      .then((page) => {
        if (live) setTrail(page.items);
      })
      .catch(() => {
        // Offline or refused: the notice stays without a date, the trail section says why.
      });
    return () => {
      live = false;
    };
  }, [ctx.api, file.id, file.version, concerned]);
  const text = lifecycleText(file, trail, { names });
  if (text === null) return null;
  return (
    <p
      className={file.status === 'missing' ? 'office-error' : 'office-notice'}
      role="status"
      data-testid="file-lifecycle"
    >
      {text}
    </p>
  );
}
