// The public API of @fieldvault/shared; prefer the narrow subpaths (`@fieldvault/shared/keys`) in bundles.
export * from './catalog.js';
export * from './check.js';
export * from './errors.js';
export * from './filename.js';
export * from './http.js';
export * from './ids.js';
export * from './keys.js';
export * from './parts.js';
export * from './sha256.js';
export * from './sniff.js';
export * from './schemas.js';
