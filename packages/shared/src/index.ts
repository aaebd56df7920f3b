// The public API of @fieldvault/shared; prefer the narrow subpaths (`@fieldvault/shared/keys`) in bundles.
export * from './parts.js';
export * from './sha256.js';
