import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Process tests run the built code: `npm test` builds first. */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'apps', 'haitang', 'src', 'main.js'))) {
    throw new Error('dist/ is missing or stale: run `npm run build` (npm test does it for you).');
  }
}
