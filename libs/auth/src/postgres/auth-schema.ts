import type { Migration } from '@haitang/event-store';

/**
 * The sign-in accounts and the volunteers' personal-data keys in PostgreSQL
 * (HAITANG_AUTH_STORE=postgres), component `auth` of haitang_schema_versions.
 * The same tables as accounts.sqlite and vault.sqlite.
 */
export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, removed account ids, and the wrapped key of each volunteer',
    sql: `
      CREATE TABLE auth_accounts (
        username text PRIMARY KEY, account_id text NOT NULL UNIQUE, role text NOT NULL, org_unit_id text, volunteer_id text, display_name text NOT NULL,
        password_hash text NOT NULL, created_at text NOT NULL, created_by text NOT NULL, disabled_at text, disabled_by text, disabled_by_admin boolean
      );
      CREATE INDEX auth_accounts_by_unit ON auth_accounts (org_unit_id) WHERE org_unit_id IS NOT NULL;
      CREATE INDEX auth_accounts_by_volunteer ON auth_accounts (volunteer_id) WHERE volunteer_id IS NOT NULL;
      CREATE TABLE auth_removed_accounts (account_id text PRIMARY KEY, removed_at text NOT NULL);
      CREATE TABLE vault_keys (volunteer_id text PRIMARY KEY, wrapped_key text NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'a fingerprint of the master key the vault was made with',
    sql: 'CREATE TABLE vault_master_key (id integer PRIMARY KEY CHECK (id = 1), fingerprint text NOT NULL);',
  },
  {
    version: 3,
    description: 'signed-out tokens, refused until they expire',
    sql: 'CREATE TABLE auth_signed_out_tokens (token_id text COLLATE "C" PRIMARY KEY, expires_at bigint NOT NULL);',
  },
];
