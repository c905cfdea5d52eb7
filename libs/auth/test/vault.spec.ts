import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskIdNumber, maskName, maskPhone, PostgresVault, SqliteVault } from '../src';
import { describePostgres, freshDatabase } from '../../../test/support/postgres';
import { vaultContract } from './vault.contract';

vaultContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'haitang-vault-'));
  const file = join(dir, 'vault.sqlite');
  const master = randomBytes(32);
  let vault = new SqliteVault(file, master);
  return {
    vault,
    async reopen() {
      await vault.close();
      vault = new SqliteVault(file, master);
      return vault;
    },
    async openWithOtherMasterKey() {
      vault = new SqliteVault(file, randomBytes(32));
      return vault;
    },
    async cleanup() {
      await vault.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describePostgres('personal data vault (PostgreSQL)', () => {
  vaultContract('PostgreSQL', async () => {
    const url = await freshDatabase('vault');
    const master = randomBytes(32);
    let vault = await PostgresVault.open({ url, masterKey: master });
    return {
      vault,
      async reopen() {
        await vault.close();
        vault = await PostgresVault.open({ url, masterKey: master });
        return vault;
      },
      async openWithOtherMasterKey() {
        return PostgresVault.open({ url, masterKey: randomBytes(32) });
      },
      async cleanup() {
        await vault.close().catch(() => undefined);
      },
    };
  });

  it('refuses at start a master key other than the one its keys were made with', async () => {
    const url = await freshDatabase('vault_master');
    const first = await PostgresVault.open({ url, masterKey: randomBytes(32) });
    await first.close();
    await expect(PostgresVault.open({ url, masterKey: randomBytes(32) })).rejects.toThrow(/give every Haitang process the same HAITANG_MASTER_KEY/);
  });

  it('is one vault for every process: a key made by one opens in another, and a key destroyed by one opens nowhere', async () => {
    const url = await freshDatabase('vault_shared');
    const master = randomBytes(32);
    const [a, b] = await Promise.all([PostgresVault.open({ url, masterKey: master }), PostgresVault.open({ url, masterKey: master })]);
    try {
      // Both seal for a new volunteer at the same moment: one key is made, and each opens the other's.
      const [fromA, fromB] = await Promise.all([a.seal('v9', { phone: '13800000001' }), b.seal('v9', { phone: '13800000002' })]);
      expect(await b.open('v9', fromA)).toEqual({ phone: '13800000001' });
      expect(await a.open('v9', fromB)).toEqual({ phone: '13800000002' });
      await a.destroyKey('v9');
      expect(await b.open('v9', fromA)).toBeNull();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('personal data vault (SQLite file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-vault-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves no readable trace of an erased volunteer\'s key in its files', async () => {
    const file = join(dir, 'vault.sqlite');
    const vault = new SqliteVault(file, randomBytes(32));
    const sealed = await vault.seal('v1', { phone: '13812345678' });
    await vault.seal('v2', { phone: '13900000000' });
    const wrapped = (volunteerId: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT wrapped_key FROM volunteer_keys WHERE volunteer_id = ?').get(volunteerId) as { wrapped_key: string }).wrapped_key;
      } finally {
        db.close();
      }
    };
    const [gone, kept] = [wrapped('v1'), wrapped('v2')];
    const inFiles = (text: string) => readdirSync(dir).some((f) => readFileSync(join(dir, f)).includes(text));
    expect(inFiles(gone)).toBe(true);
    await vault.destroyKey('v1');
    expect(await vault.open('v1', sealed)).toBeNull();
    await vault.close();
    expect(inFiles(gone)).toBe(false);
    expect(inFiles(kept)).toBe(true);
  });

  it('masks names, phones and ID numbers', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('320508195501011234')).toBe('3205**********1234');
  });
});
