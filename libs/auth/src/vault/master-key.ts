import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The master key: HAITANG_MASTER_KEY (base64, 32 bytes) when set; otherwise a
 * key file created once in the data directory with owner-only permissions.
 * Losing it means losing every volunteer's personal data (hours stay).
 */
export function loadMasterKey(env: NodeJS.ProcessEnv, keyFile: string): { key: Buffer; source: 'env' | 'file' | 'new-file' } {
  if (env.HAITANG_MASTER_KEY) {
    const key = Buffer.from(env.HAITANG_MASTER_KEY, 'base64');
    if (key.length !== 32) throw new Error('HAITANG_MASTER_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).');
    return { key, source: 'env' };
  }
  if (existsSync(keyFile)) return { key: Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'), source: 'file' };
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('base64') + '\n', { mode: 0o600 });
  return { key, source: 'new-file' };
}
