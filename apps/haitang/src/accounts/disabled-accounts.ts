import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ACCOUNT_STORE, type AccountStore } from '@haitang/auth';

/** How often the disabled accounts are read again: an account disabled by another process stops working within this time. */
export const DISABLED_REFRESH_MS = 5_000;

/**
 * The ids of the disabled accounts, in memory: every request's token is
 * checked against them (a set lookup, not a query), so disabling an account
 * refuses its tokens at once in this process, and within
 * DISABLED_REFRESH_MS in any other process sharing the accounts file.
 */
@Injectable()
export class DisabledAccounts implements OnModuleInit, OnModuleDestroy {
  private ids: ReadonlySet<string> = new Set();
  private timer: NodeJS.Timeout | null = null;
  /** Reads are numbered: one that finishes after a later one has landed is dropped (an older picture never wins). */
  private started = 0;
  private landed = 0;
  private readonly logger = new Logger('accounts');

  constructor(@Inject(ACCOUNT_STORE) private readonly accounts: AccountStore) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((error: Error) => {
      this.logger.warn(`The disabled accounts could not be read again (tokens of accounts disabled elsewhere may still be accepted): ${error.message}`);
    }), DISABLED_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the disabled accounts again (at once after this process disabled or enabled one). */
  async refresh(): Promise<void> {
    const read = ++this.started;
    const ids = await this.accounts.disabledIds();
    if (read < this.landed) return;
    this.landed = read;
    this.ids = new Set(ids);
  }

  has(accountId: string): boolean {
    return this.ids.has(accountId);
  }
}
