import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web console, built into static files that the Haitang process serves at `/`.
 * No React plugin: Vite 8 compiles TSX itself with oxc (automatic JSX runtime).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
