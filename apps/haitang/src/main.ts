import { hostname } from 'node:os';
import { Logger, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { ACCOUNT_STORE, type AccountStore } from '@haitang/auth';
import { ensureFirstAdmin } from './accounts/first-admin';
import { createHaitangApp } from './create-app';
import { loadConfig } from './config';
import { watchStop } from './shutdown-watchdog';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHaitangApp(config);
  watchStop({
    timeoutMs: config.shutdownTimeoutMs,
    // Written at once, on this thread (the app's logger writes on a thread of its own, which the kill would cut
    // short); then the logger gets a moment to write what it still holds.
    log: (message) => pino({ base: { pid: process.pid, hostname: hostname(), context: 'shutdown' } }, pino.destination({ dest: 1, sync: true })).error(message),
    end: () => {
      const kill = () => process.kill(process.pid, 'SIGKILL');
      setTimeout(kill, 500);
      // The app's logger exists once the app listens (a stop during the start has none yet).
      try {
        (PinoLogger.root as PinoLogger['logger'] | undefined)?.flush(kill);
      } catch {
        kill();
      }
    },
  });
  await ensureFirstAdmin(app.get<symbol, AccountStore>(ACCOUNT_STORE), config.auth);
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const where = [
    config.eventStore.kind !== 'sqlite' && `event log in ${config.eventStore.kind === 'postgres' ? 'PostgreSQL' : 'KurrentDB'}`,
    config.readStore.kind === 'postgres' && 'read models in PostgreSQL',
  ].filter(Boolean);
  const stores = where.length > 0 ? ` (${where.join(', ')})` : '';
  app.get(Logger).log(`Haitang is listening on http://localhost:${port} (API docs: /docs), data in ${config.dataDir}${stores}`, 'main');
}

main().catch((error) => {
  console.error('Haitang could not start:', error);
  process.exit(1);
});
