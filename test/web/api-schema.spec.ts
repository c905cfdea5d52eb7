import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, ROOT } from '../support/built';

/**
 * The web console's API client is typed from the OpenAPI document
 * (apps/web/src/api/schema.d.ts, committed). This regenerates it from the
 * built app, exactly as `npm run api:types` does, and fails when the
 * committed file is stale: a route or a DTO changed without regenerating.
 */
describe('the web console’s typed API client', () => {
  it('matches the OpenAPI document the app serves (run `npm run api:types` when this fails)', () => {
    requireBuild();
    const dir = mkdtempSync(join(tmpdir(), 'haitang-schema-'));
    try {
      const doc = join(dir, 'openapi.json');
      const types = join(dir, 'schema.d.ts');
      execFileSync(process.execPath, [join(ROOT, 'dist', 'apps', 'haitang', 'src', 'openapi.js'), doc], { stdio: 'pipe' });
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), doc, '-o', types], { stdio: 'pipe' });
      const fresh = readFileSync(types, 'utf8');
      const committed = readFileSync(join(ROOT, 'apps', 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
      expect(fresh).toContain('"/api/v1/activities/{id}/check-ins"');
      expect(committed).toBe(fresh);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
