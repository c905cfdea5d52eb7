import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { loadMasterKey, PERSONAL_DATA_VAULT, type PersonalDataVault } from '@haitang/auth';
import { openVault } from './auth-stores';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { CHECK_IN_CODE_KEY } from '@haitang/ledger';
import { hkdfSync } from 'node:crypto';
import { dataFile, type HaitangConfig } from '../config';
import { openEventLog } from './event-log';
import { shutdownStep } from '../shutdown-watchdog';

const MASTER_KEY = Symbol('MasterKey');

/**
 * The event store (SQLite file in HAITANG_DATA_DIR, PostgreSQL when
 * HAITANG_EVENT_STORE=postgres: its schema is migrated before the app starts,
 * or KurrentDB) and the personal-data vault (vault.sqlite in the data dir, or
 * PostgreSQL when HAITANG_AUTH_STORE=postgres; the master key from
 * HAITANG_MASTER_KEY or master.key).
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  static forRoot(config: HaitangConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: EVENT_STORE, useFactory: () => openEventLog(config) },
        {
          provide: MASTER_KEY,
          useFactory: () => {
            const { key, source } = loadMasterKey(process.env, dataFile(config, 'master.key'));
            if (source === 'new-file') {
              new Logger('vault').warn(`Created a new master key in ${dataFile(config, 'master.key')}. Back it up: without it, volunteers' personal data cannot be read.`);
            }
            return key;
          },
        },
        {
          provide: PERSONAL_DATA_VAULT,
          inject: [MASTER_KEY],
          useFactory: (key: Buffer) => openVault(config, key),
        },
        // Check-in codes are signed with a key of their own, derived from the master key (no extra secret to keep).
        { provide: CHECK_IN_CODE_KEY, inject: [MASTER_KEY], useFactory: (key: Buffer) => Buffer.from(hkdfSync('sha256', key, 'haitang', 'check-in codes v1', 32)) },
      ],
      exports: [EVENT_STORE, PERSONAL_DATA_VAULT, CHECK_IN_CODE_KEY],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await shutdownStep('event log', () => this.store.close());
    await shutdownStep('personal-data vault', () => this.vault.close());
  }
}
