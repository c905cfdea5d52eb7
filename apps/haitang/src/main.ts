import { Logger, PinoLogger } from 'nestjs-pino';
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
    log: (message) => app.get(Logger).error(message, 'shutdown'),
    // The log line first (the logger writes on a thread of its own), then at once, whatever the threads do.
    end: () => {
      const kill = () => process.kill(process.pid, 'SIGKILL');
      setTimeout(kill, 1000);
      PinoLogger.root.flush(kill);
    },
  });
  await ensureFirstAdmin(app.get<symbol, AccountStore>(ACCOUNT_STORE), config.auth);
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const where = [config.eventStore.kind === 'postgres' && 'event log', config.readStore.kind === 'postgres' && 'read models'].filter(Boolean);
  const stores = where.length > 0 ? ` (${where.join(' and ')} in PostgreSQL)` : '';
  app.get(Logger).log(`Haitang is listening on http://localhost:${port} (API docs: /docs), data in ${config.dataDir}${stores}`, 'main');
}

main().catch((error) => {
  console.error('Haitang could not start:', error);
  process.exit(1);
});
