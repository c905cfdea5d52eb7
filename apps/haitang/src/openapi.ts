import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { createHaitangApp } from './create-app';

/**
 * Writes the OpenAPI document the app serves at /docs/openapi.json to a file,
 * without listening (a throwaway data directory): `npm run api:types` turns it
 * into the web console's typed API client (apps/web/src/api/schema.d.ts).
 */
async function main(out: string | undefined): Promise<void> {
  if (!out) throw new Error('Usage: node dist/apps/haitang/src/openapi.js <file.json>');
  const dataDir = mkdtempSync(join(tmpdir(), 'haitang-openapi-'));
  try {
    const app = await createHaitangApp({ ...loadConfig({ ...process.env, LOG_LEVEL: 'error' }), dataDir, logLevel: 'error', logRequests: false });
    try {
      await app.init();
      const answer = await app.inject({ method: 'GET', url: '/docs/openapi.json' });
      if (answer.statusCode !== 200) throw new Error(`GET /docs/openapi.json answered ${answer.statusCode}`);
      writeFileSync(out, `${JSON.stringify(JSON.parse(answer.body), null, 2)}\n`);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
