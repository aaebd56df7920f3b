// Test kit for file events: webhooks that exist for one test only, and the deliveries queued for given events.
import type { Database } from '../db/database.js';

/** A webhook a test wants: its org and whether it is enabled (url and secret are filler). */
export interface TestHook {
  orgId: string;
  enabled: boolean;
}

/** A created webhook: id, org and enabled flag. */
export interface CreatedHook {
  id: string;
  org_id: string;
  enabled: boolean;
}

/** Creates `hooks`, runs `body` with them, then removes them and their deliveries whatever `body` did. */
export async function withWebhooks<T>(
  db: Database,
  hooks: TestHook[],
  body: (created: CreatedHook[]) => Promise<T>,
): Promise<T> {
  const created = await db
    .insertInto('webhooks')
    .values(
      hooks.map((h, i) => ({
        org_id: h.orgId,
        url: `https://hook-${i}.example/hook`,
        secret: 's',
        enabled: h.enabled,
      })),
    )
    .returning(['id', 'org_id', 'enabled'])
    .execute();
  try {
    return await body(created);
  } finally {
    const ids = created.map((h) => h.id);
    await db.deleteFrom('webhook_deliveries').where('webhook_id', 'in', ids).execute();
    await db.deleteFrom('webhooks').where('id', 'in', ids).execute();
  }
}

/** The deliveries queued for `eventIds`: webhook, event and org of each. */
export function deliveriesOf(db: Database, eventIds: string[]) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['webhook_id', 'event_id', 'org_id'])
    .where('event_id', 'in', eventIds)
    .execute();
}
