import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  ACCOUNT_STORE, type AccountStore, loadSigningKey, LocalTokens, OidcTokens, TokenVerifier,
} from '@haitang/auth';
import { dataFile, type HaitangConfig } from '../config';
import { openAccountStore } from '../infrastructure/auth-stores';
import { AccountsController } from './accounts.controller';
import { SessionsController } from './sessions.controller';
import { DisabledAccounts, SignedOutTokens } from './disabled-accounts';
import { SignIn } from './sign-in';
import { shutdownStep } from '../shutdown-watchdog';

/**
 * Accounts and tokens: the account store (accounts.sqlite in the data
 * directory, or PostgreSQL with HAITANG_AUTH_STORE=postgres), the token signing key (HAITANG_TOKEN_KEY or token-signing.key),
 * the verifier of bearer tokens (ours, and the identity provider's when
 * OIDC_ISSUER is set), sign-in and account routes.
 */
@Global()
@Module({})
export class AccountsModule implements OnApplicationShutdown {
  constructor(@Inject(ACCOUNT_STORE) private readonly accounts: AccountStore) {}

  static forRoot(config: HaitangConfig): DynamicModule {
    return {
      module: AccountsModule,
      controllers: [SessionsController, AccountsController],
      providers: [
        { provide: ACCOUNT_STORE, useFactory: () => openAccountStore(config) },
        {
          provide: LocalTokens,
          useFactory: () => {
            const key = loadSigningKey(process.env, dataFile(config, 'token-signing.key'));
            if (key.source === 'new-file') new Logger('sign-in').log(`Created the token signing key ${dataFile(config, 'token-signing.key')}.`);
            return new LocalTokens(key, config.auth.tokenTtlSeconds);
          },
        },
        {
          provide: TokenVerifier,
          inject: [LocalTokens],
          useFactory: (local: LocalTokens) => new TokenVerifier(local, config.auth.oidc ? new OidcTokens(config.auth.oidc) : null),
        },
        SignIn,
        DisabledAccounts,
        SignedOutTokens,
      ],
      exports: [ACCOUNT_STORE, LocalTokens, TokenVerifier, SignIn, DisabledAccounts, SignedOutTokens],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await shutdownStep('accounts', () => this.accounts.close());
  }
}
