import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { loadMasterKey, PERSONAL_DATA_VAULT, type PersonalDataVault, SqliteVault } from '@haitang/auth';
import { EVENT_STORE, type EventStore, SqliteEventStore } from '@haitang/event-store';
import { dataFile, type HaitangConfig } from '../config';

/**
 * The standalone adapters: the event store and the personal-data vault on
 * SQLite files in HAITANG_DATA_DIR. Other modes swap these providers only.
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
        { provide: EVENT_STORE, useFactory: () => new SqliteEventStore({ file: dataFile(config, 'events.sqlite') }) },
        {
          provide: PERSONAL_DATA_VAULT,
          useFactory: () => {
            const { key, source } = loadMasterKey(process.env, dataFile(config, 'master.key'));
            if (source === 'new-file') {
              new Logger('vault').warn(`Created a new master key in ${dataFile(config, 'master.key')}. Back it up: without it, volunteers' personal data cannot be read.`);
            }
            return new SqliteVault(dataFile(config, 'vault.sqlite'), key);
          },
        },
      ],
      exports: [EVENT_STORE, PERSONAL_DATA_VAULT],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.vault.close();
  }
}
