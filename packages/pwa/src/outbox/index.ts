// Public surface of the outbox: the facade, record types and errors.
export { createOutbox, type Outbox } from './outbox';
export { DB_NAME, DB_VERSION, PENDING_STATES } from './schema';
export type * from './schema';
export { CaptureNotFoundError } from './captures';
export { CaptureLockedError } from './edit-discard';
export { CaptureSaveError, type NewCapture } from './save-capture';
export { InvalidTransitionError, canTransition } from './transitions';
export { DraftSaveError } from './drafts';
