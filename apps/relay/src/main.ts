import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { loadRelayConfig } from './config';
import { RelayModule } from './relay.module';

/** `node dist/apps/relay/src/main.js`: publishes the event log to Kafka (see README, "Running it with Docker"). */
async function main(): Promise<void> {
  const config = loadRelayConfig();
  const app = await NestFactory.create<NestFastifyApplication>(RelayModule.forRoot(config), new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.get(Logger).log(`Haitang relay: publishing the event log to Kafka topic ${config.kafka.topic}; /health and /metrics on http://localhost:${port}`, 'main');
}

main().catch((error) => {
  console.error('The Haitang relay could not start:', error);
  process.exit(1);
});
