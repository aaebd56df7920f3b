// Opaque session tokens: 256 random bits for the cookie, only their SHA-256 in the database.
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'fv_session';
/** Sessions live 30 days from the last use (field devices go weeks between syncs). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Renew at most hourly so an active session does not write on every request. */
export const SESSION_RENEW_AFTER_MS = 60 * 60 * 1000;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Reject obviously malformed cookie values before touching the database. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
