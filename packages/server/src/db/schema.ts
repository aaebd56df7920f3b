// Table types for Kysely, written by hand next to the migrations: the one place the app learns the database's shape.
import type { FileStatus, Role } from '@fieldvault/shared/schemas';
import type {
  ColumnType,
  Generated,
  GeneratedAlways,
  Insertable,
  Selectable,
  Updateable,
} from 'kysely';

/** A timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz with a database default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: drivers parse it; we write plain JSON values. */
export type Json = ColumnType<JsonValue, JsonValue | undefined, JsonValue>;
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Roles and file statuses are the wire's enums (shared), so a row and its API answer never disagree. */
export type { FileStatus, Role };
export type UploadState = 'open' | 'completing' | 'completed' | 'aborted' | 'expired';

export interface OrgsTable {
  id: Generated<string>;
  name: string;
  created_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  name: Generated<string>;
  password_hash: string;
  role: Role;
  disabled: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  password_changed_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  org_id: string;
  device_label: string | null;
  user_agent: string | null;
  ip: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  blocked_until: Timestamp | null;
}

export interface FilesTable {
  id: Generated<string>;
  org_id: string;
  key: string;
  capture_id: string;
  system: string;
  object_type: string;
  object_id: string;
  original_filename: string;
  safe_filename: string;
  /** bigint, parsed to number by both drivers (see db/database.ts). */
  size: number;
  content_type: string;
  sha256: string;
  status: ColumnType<FileStatus, FileStatus | undefined, FileStatus>;
  duplicate_of: string | null;
  uploaded_by: string;
  device_label: string | null;
  captured_at: Timestamp;
  received_at: DefaultTimestamp;
  verified_at: Timestamp | null;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
  /** The status a soft-deleted file had (restore gives it back); null otherwise. */
  deleted_from: ColumnType<
    'verified' | 'mismatch' | 'missing' | null,
    'verified' | 'mismatch' | 'missing' | null | undefined,
    'verified' | 'mismatch' | 'missing' | null
  >;
  retention_until: Timestamp | null;
  meta: Json;
  /**
   * The date printed on the receipt: generated from `meta->>'receiptDate'` (never written). Read it from
   * `meta` on the way out: node-postgres parses a `date` at local midnight and PGlite at UTC midnight.
   */
  receipt_date: GeneratedAlways<Date | null>;
  version: Generated<number>;
  /** When the purge job removed the bytes (status `purged`; the record stays for the audit trail). */
  purged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Blocks purge whatever the retention says. */
  legal_hold: Generated<boolean>;
  /** When the re-hash job last read the bytes back. */
  last_checked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface UploadSessionsTable {
  id: Generated<string>;
  org_id: string;
  file_id: string;
  kind: 'single' | 'multipart';
  storage_upload_id: string | null;
  part_size: number;
  parts_count: number;
  md5: string | null;
  part_md5s: ColumnType<JsonValue | null, JsonValue | null | undefined, JsonValue | null>;
  state: ColumnType<UploadState, UploadState | undefined, UploadState>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  expires_at: Timestamp;
  /** When `complete` claimed the session (and its claim token). */
  claimed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** SHA-256 the stored bytes had when it differed from the device's. */
  actual_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  /** What binds the bytes in the presigned URLs. */
  binding: ColumnType<UploadBinding, UploadBinding | undefined, UploadBinding>;
}

export type UploadBinding = 'sha256' | 'md5' | 'none';

export interface AuditChainHeadsTable {
  org_id: string;
  seq: number;
  hash: string;
}

export interface AuditEventsTable {
  id: string;
  org_id: string;
  seq: number;
  at: Timestamp;
  device_at: Timestamp | null;
  actor_user_id: string | null;
  actor_role: Role | null;
  ip: string | null;
  user_agent: string | null;
  device_label: string | null;
  action: string;
  target_file_id: string | null;
  target_key: string | null;
  capture_id: string | null;
  success: boolean;
  error_code: string | null;
  details: Json;
  prev_hash: string;
  hash: string;
}

export interface DeviceEventsTable {
  org_id: string;
  id: string;
  user_id: string;
  device_label: string | null;
  kind: string;
  capture_id: string | null;
  sha256: string | null;
  device_at: Timestamp;
  received_at: Timestamp;
  skew_ms: number;
  skew_flagged: boolean;
  details: Json;
  audit_seq: number | null;
}

/** The events outbox: one row per file change, `seq` gapless per org in commit order. */
export interface FileEventsTable {
  org_id: string;
  seq: number;
  id: string;
  type: string;
  file_id: string | null;
  payload: Json;
  created_at: DefaultTimestamp;
}

/** A signed statement of an org's audit chain head at a moment. */
export interface AuditCheckpointsTable {
  org_id: string;
  seq: number;
  hash: string;
  at: Timestamp;
  /** First 16 hex of the SHA-256 of the public key (SPKI DER). */
  key_id: string;
  /** Ed25519 signature (base64) of the canonical JSON `{ at, hash, org, seq }`. */
  signature: string;
}

/** One source file of an import and how far it got. */
export interface ImportItemsTable {
  org_id: string;
  /** `system/objectType`: the same file imported to another target is another item. */
  target: string;
  source_path: string;
  sha256: string;
  capture_id: string;
  state: 'started' | 'imported' | 'skipped' | 'refused';
  file_id: string | null;
  reason: string | null;
  updated_at: DefaultTimestamp;
}

/** Per-org retention overrides of the catalog's default years. */
export interface OrgRetentionTable {
  org_id: string;
  system: string;
  object_type: string;
  years: number;
}

/** One row per job: who holds it and until when (a lease, renewed while the job runs). */
export interface JobLeasesTable {
  job: string;
  holder: string | null;
  lease_until: Timestamp | null;
  run_id: string | null;
}

export type JobOutcome = 'running' | 'succeeded' | 'failed';
export type JobTrigger = 'schedule' | 'manual' | 'cli';

/** One run of a job: when, by whom, how it ended and what it counted. */
export interface JobRunsTable {
  id: Generated<string>;
  job: string;
  org_id: string | null;
  trigger: JobTrigger;
  holder: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  outcome: JobOutcome;
  counts: Json;
  report: ColumnType<JsonValue | null, JsonValue | null | undefined, JsonValue | null>;
  error: string | null;
}

/** An org's webhook endpoint. */
export interface WebhooksTable {
  id: Generated<string>;
  org_id: string;
  url: string;
  description: string | null;
  secret: string;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'dead';

/** One event's delivery to one endpoint. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  org_id: string;
  webhook_id: string;
  event_id: string;
  state: ColumnType<WebhookDeliveryState, WebhookDeliveryState | undefined, WebhookDeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

/** The whole database as Kysely sees it. */
export interface DB {
  orgs: OrgsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  files: FilesTable;
  upload_sessions: UploadSessionsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_events: AuditEventsTable;
  device_events: DeviceEventsTable;
  file_events: FileEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  job_leases: JobLeasesTable;
  job_runs: JobRunsTable;
  org_retention: OrgRetentionTable;
  audit_checkpoints: AuditCheckpointsTable;
  import_items: ImportItemsTable;
}

export type Org = Selectable<OrgsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type FileRow = Selectable<FilesTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type UploadSessionRow = Selectable<UploadSessionsTable>;
export type JobRunRow = Selectable<JobRunsTable>;
export type FileEventRow = Selectable<FileEventsTable>;
export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
