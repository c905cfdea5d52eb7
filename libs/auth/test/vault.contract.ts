import type { PersonalDataVault } from '../src';

export interface VaultFixture {
  vault: PersonalDataVault;
  /** Closes the vault and opens the same storage again, with the same master key. */
  reopen(): Promise<PersonalDataVault>;
  /** The same storage opened with another master key (an adapter may refuse already here). */
  openWithOtherMasterKey(): Promise<PersonalDataVault>;
  cleanup(): Promise<void>;
}

/** The contract every PersonalDataVault adapter must pass, unchanged. `makeFixture` gives a fresh, empty vault. */
export function vaultContract(adapter: string, makeFixture: () => Promise<VaultFixture>): void {
  describe(`PersonalDataVault contract: ${adapter}`, () => {
    let fixture: VaultFixture;
    let vault: PersonalDataVault;
    beforeEach(async () => {
      fixture = await makeFixture();
      vault = fixture.vault;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('seals with a per-volunteer key, opens again after a restart, and shreds on erase', async () => {
      const data = { realName: '赵阿姨', phone: '13812345678', idNumber: '320508195501011234' };
      const sealed = await vault.seal('v1', data);
      expect(sealed).not.toContain('13812345678');
      expect(await vault.open('v1', sealed)).toEqual(data);
      vault = await fixture.reopen();
      expect(await vault.open('v1', sealed)).toEqual(data);
      await expect(vault.open('v2', sealed)).resolves.toBeNull();
      const again = await vault.seal('v1', { phone: '13900000000' });
      expect(await vault.open('v1', again)).toEqual({ phone: '13900000000' });
      await vault.destroyKey('v1');
      expect(await vault.open('v1', sealed)).toBeNull();
      expect(await vault.open('v1', again)).toBeNull();
      vault = await fixture.reopen();
      expect(await vault.open('v1', sealed)).toBeNull();
      await vault.destroyKey('never-sealed');
    });

    it('refuses a sealed value moved to another volunteer, and a store opened with another master key', async () => {
      const sealed = await vault.seal('a', { phone: '1' });
      await vault.seal('b', { phone: '2' });
      await expect(vault.open('b', sealed)).rejects.toThrow();
      await vault.close();
      await expect((async () => (await fixture.openWithOtherMasterKey()).open('a', sealed))()).rejects.toThrow();
    });
  });
}
