import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { correlationIdOf, loggedUrl } from '@haitang/ledger';

/** Probes polled every few seconds would drown the access log. */
const QUIET = new Set(['/health', '/metrics']);


/**
 * One JSON line per answered request (HAITANG_LOG_REQUESTS, on by default), the
 * fields pino-http would write: correlationId, req { method, url }, res
 * { statusCode }, responseTime in ms. Written from an onResponse hook, so a
 * request costs one line and no child logger.
 */
export async function installAccessLog(app: NestFastifyApplication, enabled: boolean): Promise<void> {
  if (!enabled) return;
  // pino's own logger, bound to its context once: PinoLogger's methods copy every line's fields to add it.
  const logger = (await app.resolve(PinoLogger)).logger.child({ context: 'http' });
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    if (!QUIET.has(request.url)) {
      logger.info({
        correlationId: correlationIdOf(request.raw),
        req: { method: request.method, url: loggedUrl(request.url) },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime * 10) / 10,
      }, 'request completed');
    }
    done();
  });
}
