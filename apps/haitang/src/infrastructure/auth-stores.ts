import { type AccountStore, type PersonalDataVault, PostgresAccountStore, PostgresVault, SqliteAccountStore, SqliteVault } from '@haitang/auth';
import { dataFile, type HaitangConfig } from '../config';

/** The sign-in accounts: accounts.sqlite in the data dir, or PostgreSQL (HAITANG_AUTH_STORE=postgres). */
export function openAccountStore(config: HaitangConfig): AccountStore | Promise<AccountStore> {
  return config.authStore.kind === 'postgres'
    ? PostgresAccountStore.open({ url: config.authStore.url, applicationName: 'haitang accounts' })
    : new SqliteAccountStore(dataFile(config, 'accounts.sqlite'));
}

/** The volunteers' personal-data keys: vault.sqlite in the data dir, or PostgreSQL (HAITANG_AUTH_STORE=postgres). */
export function openVault(config: HaitangConfig, masterKey: Buffer): PersonalDataVault | Promise<PersonalDataVault> {
  return config.authStore.kind === 'postgres'
    ? PostgresVault.open({ url: config.authStore.url, masterKey, applicationName: 'haitang vault' })
    : new SqliteVault(dataFile(config, 'vault.sqlite'), masterKey);
}
