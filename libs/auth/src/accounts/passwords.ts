import { Algorithm, hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

/**
 * argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane): about 20–40 ms
 * on a small server, memory-hard so that a stolen accounts file is slow to attack.
 */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password or a malformed hash (never throws). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Why a chosen password is refused, or null. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符。(A password has at least ${MIN_PASSWORD_LENGTH} characters.)`;
  if (length > MAX_PASSWORD_LENGTH) return `密码最多 ${MAX_PASSWORD_LENGTH} 个字符。(A password has at most ${MAX_PASSWORD_LENGTH} characters.)`;
  return null;
}

// No 0/O, 1/l/I: easy to read aloud and type on a phone.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random password such as `k7mp-x9qa-4tzh-w2ne` (80 bits). */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
