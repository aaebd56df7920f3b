// Every wire schema (zod 4) with its inferred type; import `@fieldvault/shared/schemas` in both the server and the PWA.
export * from './schemas/admin.js';
export * from './schemas/audit.js';
export * from './schemas/auth.js';
export * from './schemas/capture.js';
export * from './schemas/common.js';
export * from './schemas/compliance.js';
export * from './schemas/events.js';
export * from './schemas/files.js';
export * from './schemas/uploads.js';
export * from './schemas/webhooks.js';
