import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM as the vaults use it: a volunteer's data sealed with their key,
 * their key wrapped with the master key, each bound to what it is for (the
 * additional authenticated data), so a sealed value cannot be moved to
 * another volunteer. Text form: v1.<iv>.<tag>.<ciphertext>, base64.
 */
const VERSION = 'v1';

export function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown sealed format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
}

export function assertMasterKey(masterKey: Buffer): void {
  if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes (base64 in HAITANG_MASTER_KEY).');
}

/** A volunteer's data key, wrapped with the master key for storage. */
export const wrapKey = (masterKey: Buffer, volunteerId: string, key: Buffer): string => encrypt(masterKey, key, `key:${volunteerId}`);
export const unwrapKey = (masterKey: Buffer, volunteerId: string, wrapped: string): Buffer => decrypt(masterKey, wrapped, `key:${volunteerId}`);
/** A volunteer's personal data, sealed with their key. */
export const sealWith = (key: Buffer, volunteerId: string, plaintext: Buffer): string => encrypt(key, plaintext, `pd:${volunteerId}`);
export const openWith = (key: Buffer, volunteerId: string, sealed: string): Buffer => decrypt(key, sealed, `pd:${volunteerId}`);
