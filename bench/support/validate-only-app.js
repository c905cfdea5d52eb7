'use strict';
/**
 * BASELINE server for bench/write-path.js (run as a child process: `node bench/support/validate-only-app.js`).
 *
 * A NestJS 11 + Fastify app with the same per-request HTTP plumbing as the real
 * app (apps/haitang/src/create-app.ts): nestjs-pino with the same pino-http
 * options and request logs off, the global prefix api/v1, the very same
 * validationPipe() and ProblemDetailsFilter, JSON-only body parsing and the
 * x-correlation-id onSend hook. Each measured route has a POST endpoint that
 * ONLY validates the compiled DTO class of that route and answers {ok:true},
 * with the same status code as the real route. No command bus, no event store.
 * For the read side (bench/read-side.js) it also has GET /api/v1/volunteers/:id/hours
 * with the real route's parameters (the id through ParseIdPipe, the query
 * validated as ConsistencyQuery) answering a constant body of the same shape:
 * what the framework (and the token check) costs a query before any read model is touched.
 * Like the real app it signs callers in: a global guard verifies the bearer
 * token with the same TokenVerifier (EdDSA, verified tokens remembered until
 * they expire) and answers 401 otherwise; GET /bench-token hands out a staff
 * token. What it does not do is the scope check (a read-model lookup of the
 * target's unit): that is part of what the real app is measured doing.
 *
 * So "measured / baseline" is the share of the framework's validate-and-answer
 * throughput that survives the command pipeline (idempotency, load, decide, durable append).
 *
 * Env: PORT, HOST (default 127.0.0.1), LOG_LEVEL (default info).
 */
require('reflect-metadata');
const { join } = require('node:path');
const { Body, Controller, Get, HttpCode, Module, Param, Post, Query } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { Logger, LoggerModule } = require('nestjs-pino');

const DIST = join(__dirname, '..', '..', 'dist');
const { AttendanceDto } = require(join(DIST, 'apps/ledger/src/activities/activity.dto.js'));
const { RecordServiceDto } = require(join(DIST, 'apps/ledger/src/records/service-record.dto.js'));
const { validationPipe } = require(join(DIST, 'apps/ledger/src/http/validation.js'));
const { ParseIdPipe } = require(join(DIST, 'apps/ledger/src/http/ids.js'));
const { correlationIdOf } = require(join(DIST, 'apps/ledger/src/http/correlation.js'));
const { ProblemDetailsFilter } = require(join(DIST, 'apps/ledger/src/http/problem-details.filter.js'));
const { ConsistencyQuery } = require(join(DIST, 'apps/reporting/src/read-your-writes.js'));
const { problem, ProblemException } = require(join(DIST, 'apps/ledger/src/http/problem.js'));
const { bearerToken, LocalTokens, setPrincipal, TokenVerifier } = require(join(DIST, 'libs/auth/src'));
const { createPublicKey, generateKeyPairSync } = require('node:crypto');

const signingKey = generateKeyPairSync('ed25519').privateKey;
const tokens = new LocalTokens({ privateKey: signingKey, publicKey: createPublicKey(signingKey), source: 'env' }, 3600);
const verifier = new TokenVerifier(tokens, null);

/** The authentication part of the real app's access guard: a verified bearer token or 401. */
class BearerGuard {
  async canActivate(context) {
    const request = context.switchToHttp().getRequest();
    if (request.url === '/health' || request.url === '/bench-token') return true;
    try {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) throw new Error('no token');
      setPrincipal(request.raw, await verifier.verify(token));
      return true;
    } catch {
      throw new ProblemException(problem(401, 'token-invalid', 'sign in'), { 'www-authenticate': 'Bearer' });
    }
  }
}

/**
 * Applies Nest decorators without decorator syntax: a POST route whose body is
 * validated as `dto`, with an `:id` path parameter checked by the same ParseIdPipe when the path has one.
 */
function postRoute(cls, method, path, dto, status) {
  const proto = cls.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, method);
  const hasId = path.includes(':id');
  // What TypeScript's emitDecoratorMetadata would write: the ValidationPipe reads the DTO class from here.
  Reflect.defineMetadata('design:paramtypes', hasId ? [String, dto] : [dto], proto, method);
  if (hasId) Param('id', ParseIdPipe)(proto, method, 0);
  Body()(proto, method, hasId ? 1 : 0);
  Post(path)(proto, method, descriptor);
  HttpCode(status)(proto, method, descriptor);
}

class ValidateOnlyController {
  checkIn() { return { ok: true }; }
  checkOut() { return { ok: true }; }
  recordService() { return { ok: true }; }
}
// Same paths and status codes as ActivitiesController / ServiceRecordsController.
postRoute(ValidateOnlyController, 'checkIn', 'activities/:id/check-ins', AttendanceDto, 200);
postRoute(ValidateOnlyController, 'checkOut', 'activities/:id/check-outs', AttendanceDto, 200);
postRoute(ValidateOnlyController, 'recordService', 'service-records', RecordServiceDto, 201);
Controller()(ValidateOnlyController);

/** An hours answer of the real shape (what a volunteer with records in a few categories and two years gets). */
const HOURS = {
  volunteerId: '', displayName: '张秀英', homeOrgUnitId: '00000000-0000-4000-8000-000000000000', approvedMinutes: 2715, pendingMinutes: 90, approvedHours: 45.3,
  byCategory: { environment: 1200, 'digital-inclusion': 915, 'errand-escort': 600 }, byYear: { 2025: 1500, 2026: 1215 },
  starLevel: 0, nextStar: { level: 1, minutesToGo: 3285 }, homeOrgUnitName: '桃花坞社区', projectedPosition: 1000000,
};

class QueryOnlyController {
  hours(id) { return { ...HOURS, volunteerId: id }; }
}
{
  const proto = QueryOnlyController.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'hours');
  Reflect.defineMetadata('design:paramtypes', [String, ConsistencyQuery], proto, 'hours');
  Param('id', ParseIdPipe)(proto, 'hours', 0);
  Query()(proto, 'hours', 1);
  Get('volunteers/:id/hours')(proto, 'hours', descriptor);
  Controller()(QueryOnlyController);
}

class HealthController {
  health() { return { status: 'ok' }; }
  benchToken() { return tokens.issue({ id: 'bench-staff-account', username: 'bench-staff', role: 'staff', orgUnitId: 'bench', volunteerId: null, displayName: 'bench' }); }
}
{
  const descriptor = Object.getOwnPropertyDescriptor(HealthController.prototype, 'health');
  Get('health')(HealthController.prototype, 'health', descriptor);
  Get('bench-token')(HealthController.prototype, 'benchToken', Object.getOwnPropertyDescriptor(HealthController.prototype, 'benchToken'));
  Controller()(HealthController);
}

class ValidateOnlyModule {}
Module({
  imports: [
    // The same logger set-up as apps/haitang/src/app.module.ts with HAITANG_LOG_REQUESTS=false:
    // no per-request middleware (no child logger, no AsyncLocalStorage).
    LoggerModule.forRoot({
      pinoHttp: { level: process.env.LOG_LEVEL ?? 'info' },
      forRoutes: [],
    }),
  ],
  controllers: [ValidateOnlyController, QueryOnlyController, HealthController],
})(ValidateOnlyModule);

async function main() {
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024, routerOptions: { maxParamLength: 200 } });
  const app = await NestFactory.create(ValidateOnlyModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'bench-token'] });
  app.useGlobalGuards(new BearerGuard());
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  // As in create-app.ts: Fastify's own errors reach Nest's error handler (installed at init) and so the filter.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-correlation-id', correlationIdOf(request.raw));
    done(null, payload);
  });
  await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
}

main().catch((error) => {
  console.error('validate-only app could not start:', error);
  process.exit(1);
});
