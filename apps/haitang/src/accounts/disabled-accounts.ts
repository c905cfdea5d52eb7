import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ACCOUNT_STORE, type AccountStore } from '@haitang/auth';

/** How often the refused ids are read again: an account disabled (or a token signed out) by another process stops working within this time. */
export const DISABLED_REFRESH_MS = 5_000;

/** How long past its expiry a signed-out token is still remembered (see SignedOutTokens.signOut). */
export const SIGNED_OUT_MARGIN_MS = 10 * 60_000;

/**
 * A set of ids whose tokens are refused, kept in memory and read again from
 * the accounts store every DISABLED_REFRESH_MS: every request is checked
 * against it (a set lookup, not a query), so a change made by this process
 * holds at once (it refreshes right after), and one made by any other process
 * sharing the accounts store within that time.
 */
abstract class RefusedIds implements OnModuleInit, OnModuleDestroy {
  private ids: ReadonlySet<string> = new Set();
  private timer: NodeJS.Timeout | null = null;
  /** Reads are numbered: one that finishes after a later one has landed is dropped (an older picture never wins). */
  private started = 0;
  private landed = 0;
  private readonly logger = new Logger('accounts');

  protected abstract read(): Promise<string[]>;
  /** What is at stake when a reading fails, for the warning. */
  protected abstract readonly what: string;

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((error: Error) => {
      this.logger.warn(`The ${this.what} could not be read again (tokens refused elsewhere may still be accepted): ${error.message}`);
    }), DISABLED_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the ids again (at once after this process changed them). */
  async refresh(): Promise<void> {
    const read = ++this.started;
    const ids = await this.read();
    if (read < this.landed) return;
    this.landed = read;
    this.ids = new Set(ids);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/** The ids of the disabled (and removed) accounts: their tokens are refused until the account is enabled again. */
@Injectable()
export class DisabledAccounts extends RefusedIds {
  protected readonly what = 'disabled accounts';

  constructor(@Inject(ACCOUNT_STORE) private readonly accounts: AccountStore) {
    super();
  }

  protected read(): Promise<string[]> {
    return this.accounts.disabledIds();
  }
}

/** The ids of the tokens signed out before they expired (Principal.tokenId: `local:` or `oidc:` and the `jti`): refused from then on. */
@Injectable()
export class SignedOutTokens extends RefusedIds {
  protected readonly what = 'signed-out tokens';

  constructor(@Inject(ACCOUNT_STORE) private readonly accounts: AccountStore) {
    super();
  }

  protected read(): Promise<string[]> {
    return this.accounts.signedOutTokens(Date.now());
  }

  /**
   * Signs a token out: refused here at once, elsewhere within DISABLED_REFRESH_MS. Kept
   * SIGNED_OUT_MARGIN_MS past its expiry: tokens are accepted a little past it (clock
   * tolerance: 5 s for ours, 30 s for an identity provider's), and hosts' clocks differ.
   */
  async signOut(tokenId: string, expiresAt: number): Promise<void> {
    await this.accounts.signOut(tokenId, expiresAt + SIGNED_OUT_MARGIN_MS, Date.now());
    await this.refresh();
  }
}
