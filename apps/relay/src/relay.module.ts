import { Controller, type DynamicModule, Get, Header, Inject, Logger, Module, type OnApplicationShutdown, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { Gauge, collectDefaultMetrics, register } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { EVENT_BUS, type EventBus, KafkaEventBus, LogRelay } from '@haitang/messaging';
import { openProjectorLog } from '@haitang/read-store';
import type { RelayConfig } from './config';

collectDefaultMetrics({ prefix: 'haitang_relay_' });

/** GET /health: 200 while the relay publishes (or has published everything), 503 while it cannot. */
@Controller()
export class RelayStatusController {
  constructor(
    @Inject(LogRelay) private readonly relay: LogRelay,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    const gauge = (name: string, help: string, value: () => Promise<number> | number) => new Gauge({
      name, help, async collect() {
        this.set(await value());
      },
    });
    gauge('haitang_relay_position', 'The log position the bus has acknowledged, as this relay knows it.', () => this.relay.position);
    gauge('haitang_relay_head_position', 'The position of the last event in the log.', () => this.store.headPosition());
    gauge('haitang_relay_published_events', 'Events published since start (repeats after a failure included).', () => this.relay.publishedEvents);
  }

  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    let head: number;
    try {
      head = await this.store.headPosition();
    } catch (error) {
      void reply.status(503);
      return { status: 'error', relayedPosition: this.relay.position, message: `The event log cannot be read: ${(error as Error).message}` };
    }
    const failure = this.relay.error;
    if (failure) void reply.status(503);
    return {
      status: failure ? 'error' : 'ok',
      relayedPosition: this.relay.position,
      headPosition: head,
      behind: Math.max(0, head - this.relay.position),
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
 * The outbox relay on its own (DESIGN §4, HAITANG_BUS=kafka): follows the
 * event log and publishes it to Kafka in order, its checkpoint the last event
 * Kafka acknowledged. Run one.
 */
@Module({})
export class RelayModule implements OnApplicationShutdown {
  constructor(
    @Inject(LogRelay) private readonly relay: LogRelay,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  static forRoot(config: RelayConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, autoLogging: false } })],
      controllers: [RelayStatusController],
      providers: [
        { provide: EVENT_STORE, useFactory: () => openProjectorLog(config.eventStore) },
        {
          provide: EVENT_BUS,
          useFactory: () => {
            const logger = new Logger('kafka');
            return KafkaEventBus.open({ ...config.kafka, clientId: 'haitang-relay', log: (level, message) => logger[level](message) });
          },
        },
        {
          provide: LogRelay,
          inject: [EVENT_STORE, EVENT_BUS],
          useFactory: (store: EventStore, bus: EventBus) => {
            const logger = new Logger('relay');
            const relay = new LogRelay(store, bus, { log: (level, message) => logger[level === 'info' ? 'log' : level](message) });
            relay.start();
            return relay;
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.bus.close();
    await this.store.close();
  }
}
