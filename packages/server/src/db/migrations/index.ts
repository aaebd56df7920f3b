// The migration set, listed statically so it works the same from TS source (tests) and compiled dist (runtime).
import type { Migration } from 'kysely/migration';
import * as m20261123115000 from './20261123115000_initial.js';
import * as m20261123121500 from './20261123121500_listing_indexes.js';
import * as m20261123130000 from './20261123130000_upload_protocol.js';
import * as m20261123134000 from './20261123134000_files_text_search.js';
import * as m20261123135000 from './20261123135000_files_object_id_idx.js';
import * as m20261123150000 from './20261123150000_jobs.js';
import * as m20261123151000 from './20261123151000_file_lifecycle.js';
import * as m20261123152000 from './20261123152000_audit_checkpoints.js';
import * as m20261123153000 from './20261123153000_import_items.js';
import * as m20261123160000 from './20261123160000_file_events.js';
import * as m20261123161000 from './20261123161000_files_possible_duplicates.js';
import * as m20261123162000 from './20261123162000_webhooks.js';
import * as m20261123170000 from './20261123170000_files_captured_sort.js';
import * as m20261123171000 from './20261123171000_files_note_search.js';
import * as m20261206040000 from './20261206040000_files_receipt_date.js';
import * as m20261206200000 from './20261206200000_purged_tombstones.js';
import * as m20261207090000 from './20261207090000_files_trigram_no_pending_list.js';
import * as m20261207091000 from './20261207091000_files_trigram_small_pending_list.js';
import * as m20261207100000 from './20261207100000_files_deleted_from.js';

/** Every migration by name; names sort in the order they run. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '20261123115000_initial': m20261123115000,
  '20261123121500_listing_indexes': m20261123121500,
  '20261123130000_upload_protocol': m20261123130000,
  '20261123134000_files_text_search': m20261123134000,
  '20261123135000_files_object_id_idx': m20261123135000,
  '20261123150000_jobs': m20261123150000,
  '20261123151000_file_lifecycle': m20261123151000,
  '20261123152000_audit_checkpoints': m20261123152000,
  '20261123153000_import_items': m20261123153000,
  '20261123160000_file_events': m20261123160000,
  '20261123161000_files_possible_duplicates': m20261123161000,
  '20261123162000_webhooks': m20261123162000,
  '20261123170000_files_captured_sort': m20261123170000,
  '20261123171000_files_note_search': m20261123171000,
  '20261206040000_files_receipt_date': m20261206040000,
  '20261206200000_purged_tombstones': m20261206200000,
  '20261207090000_files_trigram_no_pending_list': m20261207090000,
  '20261207091000_files_trigram_small_pending_list': m20261207091000,
  '20261207100000_files_deleted_from': m20261207100000,
};
