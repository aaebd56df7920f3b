// The server's Ed25519 signing key (checkpoints, certificates): from FIELDVAULT_SIGNING_KEY, else generated once into the data dir.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../env.js';

/** A key pair and the short id signatures name it by. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM of the public key: all a verifier needs. */
  publicKeyPem: string;
  keyId: string;
}

/** Id of a public key: the first 16 hex of SHA-256 over its SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** A signing key from a PKCS#8 PEM (or the base64 of one). */
export function signingKeyFromPem(pemOrBase64: string): SigningKey {
  const pem = pemOrBase64.includes('-----BEGIN')
    ? pemOrBase64
    : Buffer.from(pemOrBase64, 'base64').toString('utf8');
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error('FIELDVAULT_SIGNING_KEY must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey, publicKeyPem, keyId: keyIdOf(publicKey) };
}

/**
 * The configured key, or `{dataDir}/signing-key.pem` (generated with mode 0600 on first use; a
 * concurrent first start reads the winner's key instead of overwriting it).
 */
export async function resolveSigningKey(config: Config): Promise<SigningKey> {
  if (config.jobs.signingKey) return signingKeyFromPem(config.jobs.signingKey);
  const file = path.join(config.dataDir, 'signing-key.pem');
  try {
    return signingKeyFromPem(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(config.dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    await writeFile(file, pem, { flag: 'wx', mode: 0o600 });
    return signingKeyFromPem(pem);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return signingKeyFromPem(await readFile(file, 'utf8'));
  }
}

/** Ed25519 signature (base64) of a UTF-8 string. */
export function signText(key: SigningKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

/**
 * True when `signature` (base64) is `publicKey`'s signature of `text`. Only the canonical base64
 * spelling counts: decoders ignore the unused bits of the last character, so without this check an
 * altered certificate byte there would still verify.
 */
export function verifyText(publicKey: KeyObject, q: { text: string; signature: string }): boolean {
  const bytes = Buffer.from(q.signature, 'base64');
  if (bytes.toString('base64') !== q.signature) return false;
  return verify(null, Buffer.from(q.text, 'utf8'), publicKey, bytes);
}
