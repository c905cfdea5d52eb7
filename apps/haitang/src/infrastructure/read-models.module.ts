import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  ALL_PROJECTIONS, openReadModels, PROJECTION_PROGRESS, ProjectorThread, READ_MODELS, SqliteProjectionRunner, SqliteReadModels,
} from '@haitang/read-store';
import { STAR_THRESHOLDS } from '@haitang/reporting';
import { dataFile, type HaitangConfig } from '../config';
import { eventLogLocation } from './event-log';

/**
 * The standalone read side: read models in their own SQLite file
 * (readmodels.sqlite), kept up to date by the projector on its own thread,
 * which follows the event log (SQLite or PostgreSQL) from its checkpoint.
 * This thread only reads.
 */
@Global()
@Module({})
export class ReadModelsModule implements OnApplicationShutdown {
  constructor(
    @Inject(PROJECTION_PROGRESS) private readonly projector: ProjectorThread,
    @Inject(READ_MODELS) private readonly models: SqliteReadModels,
  ) {}

  static forRoot(config: HaitangConfig): DynamicModule {
    if (config.readStore.kind === 'postgres') throw new Error('HAITANG_READ_STORE=postgres is not available in this build yet.');
    return {
      module: ReadModelsModule,
      providers: [
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
            }, (level, message) => logger[level](message));
          },
        },
        { provide: STAR_THRESHOLDS, useValue: config.starThresholdsHours },
      ],
      exports: [READ_MODELS, PROJECTION_PROGRESS, STAR_THRESHOLDS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    await this.models.close();
  }
}
