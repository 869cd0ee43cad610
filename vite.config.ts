import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { browserCommands } from './tests/browser/commands.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Debian's Chromium: no browser download is possible on these machines. */
const chromium = {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  root: resolve(root, 'src'),
  publicDir: resolve(root, 'public'),
  plugins: [svelte()],
  worker: { format: 'es' },
  build: { outDir: resolve(root, 'dist'), emptyOutDir: true, target: 'es2022' },
  server: { fs: { allow: [root] } },
  test: {
    root,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          root,
          include: ['tests/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          root,
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: 60_000,
          // One file at a time: workers in several hidden test iframes at once starve each other.
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromium }),
            instances: [{ browser: 'chromium' }],
            commands: browserCommands,
          },
        },
      },
    ],
  },
});
