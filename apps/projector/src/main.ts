import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { loadProjectorConfig } from './config';
import { ProjectorModule } from './projector.module';

/** `node dist/apps/projector/src/main.js`: the projector process (see README, "Running it with Docker"). */
async function main(): Promise<void> {
  const config = loadProjectorConfig();
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorModule.forRoot(config), new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.get(Logger).log(`Haitang projector: keeping the read models up to date; /health and /metrics on http://localhost:${port}`, 'main');
}

main().catch((error) => {
  console.error('The Haitang projector could not start:', error);
  process.exit(1);
});
