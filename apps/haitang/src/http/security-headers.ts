import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';

/** Headers the browser may read from our answers besides the safelisted ones. */
const EXPOSED = ['location', 'retry-after', 'x-correlation-id', 'idempotent-replayed', 'x-projected-position', 'x-figures-cache', 'content-disposition'];

/** helmet's options: its defaults, with the Content-Security-Policy adjusted to what the API docs and web console need. */
export const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      // The Swagger UI's "valid" badge and logo are served from elsewhere; images only.
      'img-src': ["'self'", 'data:', 'https:'],
      // Haitang is often reached over plain http on a community's network (http://192.168.1.10:3000):
      // upgrading its own scripts to https there would leave the web console and the API docs blank.
      upgradeInsecureRequests: null,
    },
  },
};

/**
 * Security headers on every answer (helmet's defaults: a same-origin
 * Content-Security-Policy that the API docs and the web pages fit, nosniff,
 * frame denial, no referrer, …) and CORS: closed unless HAITANG_CORS_ORIGINS
 * names the origins (exact, no wildcard) whose pages may call the API with a
 * token.
 *
 * helmet's middleware is built once here and run on each request's raw
 * answer. (@fastify/helmet builds a new helmet middleware, parsing every
 * directive again, on every request: about a tenth of the CPU a command costs.)
 */
export async function installSecurityHeaders(app: NestFastifyApplication, corsOrigins: readonly string[]): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const securityHeaders = helmet(HELMET_OPTIONS);
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  if (corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'accept'],
      exposedHeaders: EXPOSED,
      maxAge: 600,
    });
  }
}
