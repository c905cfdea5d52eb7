import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths that belong to the server, never to the web console's client-side routes. */
const SERVER_PATHS = /^\/(api|docs|health|metrics)(\/|$|\?)/;
/** A missing built file is a 404, not the console's page. */
const ASSET_PATHS = /^\/assets\//;

/**
 * Serves the built web console (apps/web → dist/web) at `/`: its files as
 * they are (hashed assets cached for a year, index.html never cached), and
 * index.html for any other GET that is not the API, the docs, /health or
 * /metrics, so the console's own routes (/staff/activities/…) load on a
 * refresh or from a QR code. Unknown server paths stay 404 problem+json.
 * Returns false (and serves nothing) when the console was not built.
 */
export async function serveWebConsole(app: NestFastifyApplication, webDir: string): Promise<boolean> {
  if (!existsSync(join(webDir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/*', (request, reply) => {
    if (SERVER_PATHS.test(request.url) || ASSET_PATHS.test(request.url)) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
  return true;
}
