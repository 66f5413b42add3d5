import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const page = (name: string) => resolve(import.meta.dirname, `${name}.html`);

/**
 * One page per audience, each its own bundle: the home page, the progress dashboard (/p/:slug),
 * the volunteer app (/collect) and the organizer pages (/organize/:slug). The API server serves dist/.
 */
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: page('index'),
        dashboard: page('dashboard'),
        collect: page('collect'),
        organize: page('organize'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
