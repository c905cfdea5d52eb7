import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import {
  ALL_PROJECTIONS, openReadModels, PostgresProjector, PostgresReadModels, PROJECTION_PROGRESS, ProjectorThread, type ProjectorStatus,
  READ_MODELS, SqliteProjectionRunner, startPostgresProjector, SqliteReadModels,
} from '@haitang/read-store';
import { STAR_THRESHOLDS, WORKING_DAYS } from '@haitang/reporting';
import { dataFile, type HaitangConfig } from '../config';
import { eventLogLocation } from './event-log';
import { shutdownStep } from '../shutdown-watchdog';

/**
 * The read side: the read models the queries read, and the projector that keeps
 * them up to date from the event log.
 * - SQLite (default): readmodels.sqlite in the data dir, the projector on its
 *   own thread, following the event log (SQLite or PostgreSQL) from its
 *   checkpoint. This thread only reads.
 * - PostgreSQL: the read-store tables (migrated on start), the projector in
 *   this process following the app's event store. Several Haitang processes
 *   may share the database: one projector applies, the others stand by.
 */
@Global()
@Module({})
export class ReadModelsModule implements OnApplicationShutdown {
  constructor(
    @Inject(PROJECTION_PROGRESS) private readonly projector: ProjectorStatus,
    @Inject(READ_MODELS) private readonly models: { close(): Promise<void> },
  ) {}

  static forRoot(config: HaitangConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        ...(config.readStore.kind === 'postgres' ? postgresProviders(config.readStore.url, config.projector) : sqliteProviders(config)),
        { provide: STAR_THRESHOLDS, useValue: config.starThresholdsHours },
        { provide: WORKING_DAYS, useValue: config.workingDays },
      ],
      exports: [READ_MODELS, PROJECTION_PROGRESS, STAR_THRESHOLDS, WORKING_DAYS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await shutdownStep('projector', () => this.projector.stop());
    await shutdownStep('read models', () => this.models.close());
  }
}

function sqliteProviders(config: HaitangConfig): Provider[] {
  return [
    { provide: READ_MODELS, useFactory: () => new SqliteReadModels(openReadModels(dataFile(config, 'readmodels.sqlite'))) },
    {
      provide: PROJECTION_PROGRESS,
      inject: [READ_MODELS],
      useFactory: (models: SqliteReadModels) => {
        // Creates the tables and checks their versions before the projector thread starts.
        const startPosition = new SqliteProjectionRunner(models.db, null as never, ALL_PROJECTIONS).checkpoint();
        const logger = new Logger('projector');
        return new ProjectorThread({
          eventLog: eventLogLocation(config),
          readModelsFile: dataFile(config, 'readmodels.sqlite'),
          startPosition,
          nice: config.projectorNice,
        }, (level, message) => logger[level](message));
      },
    },
  ];
}

function postgresProviders(url: string, keeper: HaitangConfig['projector']): Provider[] {
  return [
    { provide: READ_MODELS, useFactory: () => PostgresReadModels.open({ url }) },
    {
      provide: PROJECTION_PROGRESS,
      inject: [EVENT_STORE, READ_MODELS],
      useFactory: async (store: EventStore) => {
        const logger = new Logger('projector');
        const log = (level: 'info' | 'warn' | 'error', message: string) => logger[level === 'info' ? 'log' : level](message);
        if (keeper === 'external') {
          // apps/projector keeps the read models: this process only follows how far they are.
          const follower = await PostgresProjector.open(store, { url, log, mode: 'follow' });
          follower.start();
          return follower;
        }
        return startPostgresProjector(store, { url, log });
      },
    },
  ];
}
