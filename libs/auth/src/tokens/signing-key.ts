import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly source: 'env' | 'file' | 'new-file';
}

function ed25519(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`${where} is not a PEM private key (create one with: openssl genpkey -algorithm ed25519).`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${where} must be an Ed25519 key (openssl genpkey -algorithm ed25519).`);
  return key;
}

/**
 * The key that signs sign-in tokens (Ed25519, EdDSA): HAITANG_TOKEN_KEY (PKCS#8
 * PEM) when set, otherwise a key file created once in the data directory with
 * owner-only permissions. Replacing it signs everybody out; losing it loses nothing else.
 */
export function loadSigningKey(env: NodeJS.ProcessEnv, keyFile: string): SigningKey {
  let privateKey: KeyObject;
  let source: SigningKey['source'];
  if (env.HAITANG_TOKEN_KEY) {
    privateKey = ed25519(env.HAITANG_TOKEN_KEY, 'HAITANG_TOKEN_KEY');
    source = 'env';
  } else if (existsSync(keyFile)) {
    privateKey = ed25519(readFileSync(keyFile, 'utf8'), keyFile);
    source = 'file';
  } else {
    mkdirSync(dirname(keyFile), { recursive: true });
    privateKey = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    source = 'new-file';
  }
  return { privateKey, publicKey: createPublicKey(privateKey), source };
}
