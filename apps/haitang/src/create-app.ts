import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import {
  assertCleanTextValues, assertShallowJson, clientErrorProblem, correlationIdOf, problem, ProblemDetailsFilter, ProblemException, rawProblemResponse, sendProblem, validationPipe,
} from '@haitang/ledger';
import { serveWebConsole } from '@haitang/reporting';
import { shanghaiDate } from '@haitang/domain';
import { HaitangModule } from './app.module';
import type { HaitangConfig } from './config';
import { RouteTable } from './access/route-table';
import { installRateLimits } from './access/rate-limits';
import { installSecurityHeaders } from './http/security-headers';
import { installAccessLog } from './observability/access-log';
import { API_PREFIX, UNPREFIXED_ROUTES } from './http-prefix';
import { STOP_SIGNALS } from './shutdown-watchdog';

/** Builds the standalone Haitang application (not yet listening). */
export async function createHaitangApp(config: HaitangConfig): Promise<NestFastifyApplication> {
  const logger = new NestLogger('http');
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Errors Fastify answers before routing (a badly percent-encoded URL, an over-long id) get problem+json too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, request, error, logger),
    // So does HTTP that Node's parser refuses (malformed request line or headers, headers over 16 KB).
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      // As Node does: never write into an answer already under way on this connection.
      const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
      if (socket.writable && !inFlight?.headersSent) socket.write(rawProblemResponse(clientErrorProblem(error)));
      socket.destroy(error);
    },
    // Node would answer a missing Host with a bare 400; the onRequest hook below refuses it as a problem instead.
    http: { requireHostHeader: false },
    // A hop count, true, or the proxies' addresses (Fastify's trustProxy; its types omit the hop count).
    trustProxy: config.trustProxy as boolean | string,
  });
  const app = await NestFactory.create<NestFastifyApplication>(HaitangModule.forRoot(config), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // A completed stop ends with process.exit(0): the 'exit' handlers run (the logger writes its last lines), and
  // the process is not signalled again, which the shutdown watchdog (main.ts) would take for a second request.
  app.enableShutdownHooks(STOP_SIGNALS as string[], { useProcessExit: true });
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const fastify = app.getHttpAdapter().getInstance();
  // Every route Fastify registers from here on (Nest's at init, the API docs below), for the route table.
  const routes: { method: string; url: string }[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of ([] as string[]).concat(route.method)) routes.push({ method, url: route.url });
  });
  app.get(RouteTable).recordFastifyRoutes(routes);
  await installAccessLog(app, config.logRequests);
  await installSecurityHeaders(app, config.corsOrigins);
  await installRateLimits(app, config.limits);
  // Commands take JSON only (Fastify's own parser): anything else is answered 415, not half-parsed.
  // An empty JSON body (a bodiless POST such as an approval) counts as no body.
  fastify.removeContentTypeParser(['text/plain']);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body as string, done));
  // The hooks every request passes take callbacks: an async hook costs each request a promise.
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertShallowJson(request.body);
      assertCleanTextValues(request.query);
      assertCleanTextValues(request.params);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      return done(new ProblemException(problem(400, 'host-required', '请求缺少 Host 头。(An HTTP/1.1 request must have a Host header.)')));
    }
    done();
  });
  // Node answers an Expect other than 100-continue with a bare 417 unless someone listens: answer it as a problem.
  fastify.server.on('checkExpectation', (_request, response) => {
    const body = problem(417, 'expectation-failed', '不支持该 Expect 请求头。(Only "Expect: 100-continue" is supported.)');
    response.writeHead(417, { 'content-type': 'application/problem+json; charset=utf-8', connection: 'close' }).end(JSON.stringify(body));
  });
  // Errors raised by Fastify itself (bad JSON, wrong content type, body too large) reach Nest's error handler,
  // which it installs at init, and so the ProblemDetailsFilter: problem+json like every other refusal.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-correlation-id', correlationIdOf(request.raw));
    done(null, payload);
  });

  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Haitang 海棠 volunteer service ledger')
    .setDescription('Commands append immutable events; every error is RFC 9457 problem+json. Send an Idempotency-Key with every POST.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token answered by POST /api/v1/sessions' })
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  for (const y of config.workingDays.missingYears(shanghaiDate(new Date()))) {
    logger.warn(`${y}年的节假日安排未配置，该年的“10个工作日”按周一至周五计算。(No State Council holiday schedule for ${y}: records due dates count Monday to Friday; add it with HAITANG_HOLIDAYS_FILE.)`);
  }
  if (!(await serveWebConsole(app, config.webDir))) {
    logger.warn(`The web console is not built (no ${config.webDir}/index.html): run \`npm run build\`. The API works without it.`);
  }
  return app;
}
