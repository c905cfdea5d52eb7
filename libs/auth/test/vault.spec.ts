import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskIdNumber, maskName, maskPhone, SqliteVault } from '../src';

describe('personal data vault (SQLite)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'haitang-vault-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals with a per-volunteer key, opens again after a restart, and shreds on erase', async () => {
    const master = randomBytes(32);
    let vault = new SqliteVault(join(dir, 'vault.sqlite'), master);
    const data = { realName: '赵阿姨', phone: '13812345678', idNumber: '320508195501011234' };
    const sealed = await vault.seal('v1', data);
    expect(sealed).not.toContain('13812345678');
    expect(await vault.open('v1', sealed)).toEqual(data);
    await vault.close();
    vault = new SqliteVault(join(dir, 'vault.sqlite'), master);
    expect(await vault.open('v1', sealed)).toEqual(data);
    await expect(vault.open('v2', sealed)).resolves.toBeNull();
    await vault.destroyKey('v1');
    expect(await vault.open('v1', sealed)).toBeNull();
    await vault.close();
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes('13812345678')).toBe(false);
  });

  it('refuses a sealed value moved to another volunteer', async () => {
    const vault = new SqliteVault(join(dir, 'vault.sqlite'), randomBytes(32));
    const sealed = await vault.seal('a', { phone: '1' });
    await vault.seal('b', { phone: '2' });
    await expect(vault.open('b', sealed)).rejects.toThrow();
    await vault.close();
  });

  it('masks names, phones and ID numbers', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('320508195501011234')).toBe('3205**********1234');
  });
});
