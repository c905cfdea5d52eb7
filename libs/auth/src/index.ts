export * from './vault/personal-data';
export * from './vault/personal-data-vault.port';
export * from './vault/sqlite-vault';
export * from './vault/master-key';
