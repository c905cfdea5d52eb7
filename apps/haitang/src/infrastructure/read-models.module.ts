import { type DynamicModule, Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { openReadModels, PROJECTION_RUNNER, READ_MODELS, recordsProjection, SqliteProjectionRunner } from '@haitang/read-store';
import { STAR_THRESHOLDS } from '@haitang/reporting';
import { dataFile, type HaitangConfig } from '../config';

/**
 * The standalone read side: read models in their own SQLite file
 * (readmodels.sqlite), kept up to date by an in-process projection runner
 * that follows the event store's log from its checkpoint.
 */
@Global()
@Module({})
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: SqliteProjectionRunner,
    @Inject(READ_MODELS) private readonly db: Database.Database,
  ) {}

  static forRoot(config: HaitangConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        { provide: READ_MODELS, useFactory: () => openReadModels(dataFile(config, 'readmodels.sqlite')) },
        {
          provide: PROJECTION_RUNNER,
          inject: [READ_MODELS, EVENT_STORE],
          useFactory: (db: Database.Database, store: EventStore) => new SqliteProjectionRunner(db, store, [recordsProjection]),
        },
        { provide: STAR_THRESHOLDS, useValue: config.starThresholdsHours },
      ],
      exports: [READ_MODELS, PROJECTION_RUNNER, STAR_THRESHOLDS],
    };
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.db.close();
  }
}
