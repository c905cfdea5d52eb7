import { Controller, type DynamicModule, Get, Header, HttpStatus, Inject, Logger, Module, type OnApplicationShutdown, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { Gauge, collectDefaultMetrics, register } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { KafkaEventBus, LogViaBus } from '@haitang/messaging';
import { openProjectorLog, type PostgresProjector, startPostgresProjector } from '@haitang/read-store';
import type { ProjectorConfig } from './config';

const PROJECTOR = Symbol('PostgresProjector');
/** Where new events come from, as /health says it: 'event store' or 'kafka:<topic>'. */
const SOURCE = Symbol('ProjectorSource');

collectDefaultMetrics({ prefix: 'haitang_projector_' });

/** GET /health: 200 while this projector applies the log or stands by to take over; 503 while it cannot. */
@Controller()
export class ProjectorStatusController {
  constructor(
    @Inject(PROJECTOR) private readonly projector: PostgresProjector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SOURCE) private readonly source: string,
  ) {
    const lagGauge = (name: string, help: string, value: () => Promise<number> | number) => new Gauge({
      name, help, async collect() {
        this.set(await value());
      },
    });
    lagGauge('haitang_projector_position', 'The log position every projection has reached (as this process last saw it).', () => this.projector.position);
    lagGauge('haitang_projector_head_position', 'The position of the last event in the log.', () => this.store.headPosition());
    lagGauge('haitang_projector_active', '1 while this process applies the projections, 0 while it stands by.', () => (this.projector.role === 'active' ? 1 : 0));
  }

  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const failure = this.projector.error;
    let head: number | null = null;
    try {
      head = await this.store.headPosition();
    } catch (error) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'error', role: this.projector.role, source: this.source, projectedPosition: this.projector.position, message: `The event log cannot be read: ${(error as Error).message}` };
    }
    if (failure) void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: failure ? 'error' : 'ok',
      role: this.projector.role,
      source: this.source,
      projectedPosition: this.projector.position,
      headPosition: head,
      behind: Math.max(0, head - this.projector.position),
      ...(failure ? { message: failure.message } : {}),
    };
  }

  @Get('metrics')
  @Header('content-type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}

/**
 * The projector on its own (DESIGN §4, apps/projector): follows the event log
 * and keeps the PostgreSQL read models, with the Haitang processes set to
 * HAITANG_PROJECTOR=external. Run as many as you like: one applies at a time
 * (advisory locks), the others stand by and take over when it stops.
 */
@Module({})
export class ProjectorModule implements OnApplicationShutdown {
  constructor(
    @Inject(PROJECTOR) private readonly projector: PostgresProjector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  static forRoot(config: ProjectorConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, autoLogging: false } })],
      controllers: [ProjectorStatusController],
      providers: [
        { provide: EVENT_STORE, useFactory: () => openLog(config) },
        { provide: SOURCE, useValue: config.bus.kind === 'kafka' ? `kafka:${config.bus.topic}` : 'event store' },
        {
          provide: PROJECTOR,
          inject: [EVENT_STORE],
          useFactory: async (store: EventStore) => {
            const logger = new Logger('projector');
            const log = (level: 'info' | 'warn' | 'error', message: string) => logger[level === 'info' ? 'log' : level](message);
            return startPostgresProjector(store, { url: config.readStoreUrl, log, applicationName: 'haitang projector' });
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    await this.store.close();
  }
}

/** The log the projector follows: the event store's, or (HAITANG_BUS=kafka) the Kafka topic a relay fills, the store still answering the head. */
async function openLog(config: ProjectorConfig): Promise<EventStore> {
  const store = await openProjectorLog(config.eventStore);
  if (config.bus.kind !== 'kafka') return store;
  const logger = new Logger('kafka');
  try {
    const bus = await KafkaEventBus.open({ ...config.bus, clientId: 'haitang-projector', log: (level, message) => logger[level](message) });
    return new LogViaBus(store, bus);
  } catch (error) {
    await store.close();
    throw error;
  }
}
