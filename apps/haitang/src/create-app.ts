import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { assertShallowJson, correlationIdOf, ProblemDetailsFilter, sendProblem, validationPipe } from '@haitang/ledger';
import { HaitangModule } from './app.module';
import type { HaitangConfig } from './config';

/** Builds the standalone Haitang application (not yet listening). */
export async function createHaitangApp(config: HaitangConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024, maxParamLength: 200 });
  const app = await NestFactory.create<NestFastifyApplication>(HaitangModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const fastify = app.getHttpAdapter().getInstance();
  // Commands take JSON only (Fastify's own parser): anything else is answered 415, not half-parsed.
  // An empty JSON body (a bodiless POST such as an approval) counts as no body.
  fastify.removeContentTypeParser(['text/plain']);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body as string, done));
  fastify.addHook('preValidation', async (request) => assertShallowJson(request.body));
  const logger = new NestLogger('http');
  // Errors raised by Fastify itself (bad JSON, wrong content type, body too large) get problem+json too.
  fastify.setErrorHandler((error, request, reply) => sendProblem(reply, request, error, logger));
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-correlation-id', correlationIdOf(request.raw));
  });

  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Haitang 海棠 volunteer service ledger')
    .setDescription('Commands append immutable events; every error is RFC 9457 problem+json. Send an Idempotency-Key with every POST.')
    .setVersion('1')
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
