import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Headers the browser may read from our answers besides the safelisted ones. */
const EXPOSED = ['location', 'retry-after', 'x-correlation-id', 'idempotent-replayed', 'x-projected-position', 'x-figures-cache', 'content-disposition'];

/**
 * Security headers on every answer (@fastify/helmet's defaults: a
 * same-origin Content-Security-Policy that the API docs and the web pages fit,
 * nosniff, frame denial, no referrer, …) and CORS: closed unless
 * HAITANG_CORS_ORIGINS names the origins (exact, no wildcard) whose pages may
 * call the API with a token.
 */
export async function installSecurityHeaders(app: NestFastifyApplication, corsOrigins: readonly string[]): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // The Swagger UI's "valid" badge and logo are served from elsewhere; images only.
        'img-src': ["'self'", 'data:', 'https:'],
        // Haitang is often reached over plain http on a community's network (http://192.168.1.10:3000):
        // upgrading its own scripts to https there would leave the web console and the API docs blank.
        upgradeInsecureRequests: null,
      },
    },
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
