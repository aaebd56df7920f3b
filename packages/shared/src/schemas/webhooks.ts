// Signed webhooks: an org's endpoints that receive its file events (HMAC-SHA256 signed, retried with backoff, dead-lettered), and their delivery log.
import { z } from 'zod';
import { fileEventType } from './events.js';
import { isoDateTime, uuid } from './common.js';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-fieldvault-signature';
/** Attempts before a delivery is dead-lettered. */
export const WEBHOOK_MAX_ATTEMPTS = 8;

/** `admin.webhooks.create`: where to POST the org's file events. */
export const webhookCreateInput = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }).max(2000),
  description: z.string().trim().min(1, { error: 'Required' }).max(200).optional(),
});
/** `admin.webhooks.create` input. */
export type WebhookCreateInput = z.infer<typeof webhookCreateInput>;

/** One endpoint (its secret is shown once, at creation). */
export const webhook = z.strictObject({
  id: uuid,
  url: z.string(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: isoDateTime,
});
/** One webhook endpoint. */
export type Webhook = z.infer<typeof webhook>;

/** The new endpoint and its signing secret (never shown again). */
export const webhookCreated = z.strictObject({ webhook, secret: z.string() });
/** The answer to `admin.webhooks.create`. */
export type WebhookCreated = z.infer<typeof webhookCreated>;

/** A webhook by id. */
export const webhookIdInput = z.strictObject({ id: uuid });

/** Where a delivery stands: waiting (maybe retrying), delivered, or dead after the last attempt. */
export const webhookDeliveryState = z.enum(['pending', 'delivered', 'dead']);

/** `admin.webhooks.deliveries`: the delivery log, newest first. */
export const webhookDeliveriesInput = z
  .strictObject({
    webhookId: uuid.optional(),
    state: webhookDeliveryState.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional();
/** `admin.webhooks.deliveries` input. */
export type WebhookDeliveriesInput = z.infer<typeof webhookDeliveriesInput>;

/** One event's delivery to one endpoint, with its last attempt. */
export const webhookDelivery = z.strictObject({
  id: uuid,
  webhookId: uuid,
  eventId: uuid,
  eventType: fileEventType,
  state: webhookDeliveryState,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: isoDateTime.nullable(),
  lastAttemptAt: isoDateTime.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
/** One delivery of the log. */
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
