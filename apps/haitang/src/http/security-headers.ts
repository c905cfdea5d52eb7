import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers the browser may read from our answers besides the safelisted ones. */
const EXPOSED = ['location', 'retry-after', 'x-correlation-id', 'idempotent-replayed', 'x-projected-position', 'x-figures-cache', 'content-disposition'];

/** helmet's options: its defaults, with the Content-Security-Policy adjusted to what the API docs and web console need. */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
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
 * helmet's headers are the same on every answer (no directive depends on the
 * request: no nonces), so helmet runs once, here, and each answer gets the
 * headers it set as one object. (@fastify/helmet builds a new helmet middleware,
 * parsing every directive again, on every request, and helmet's middleware sets
 * each header on the raw answer one by one: together a tenth of a command's CPU.)
 */
export async function installSecurityHeaders(app: NestFastifyApplication, corsOrigins: readonly string[]): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const headers = helmetHeaders(HELMET_OPTIONS);
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
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

/** The headers helmet's middleware sets with these options, recorded from one run against a stand-in answer. */
function helmetHeaders(options: Parameters<typeof helmet>[0]): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    // helmet removes X-Powered-By, which Fastify never sets.
    removeHeader() {},
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet calls back synchronously; if a future version stops doing so, fail at start rather than answer without headers.
  if (!finished || Object.keys(headers).length === 0) throw new Error('helmet set no headers synchronously: security headers cannot be captured.');
  return Object.freeze(headers);
}
