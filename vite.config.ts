import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { browserCommands } from './tests/browser/commands.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Debian's Chromium: no browser download is possible on these machines. */
const chromium = {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

/**
 * Content-Security-Policy: only this origin, no inline script, WebAssembly
 * allowed (hash-wasm). The dev server needs inline styles for hot reload;
 * the built app does not get them.
 */
function csp(dev: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `style-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function cspPlugin(): Plugin {
  let dev = true;
  return {
    name: 'isoscope-csp',
    configResolved(c) {
      dev = c.command === 'serve';
    },
    transformIndexHtml: (html) => html.replace('%ISOSCOPE_CSP%', csp(dev)),
  };
}

/**
 * Tests only: images the browser tests build in Node at run time (tests/.tmp/),
 * served straight from disk at /__test-files/. Vite's own file serving may
 * answer 404 for a file written after it started.
 */
function testFilesPlugin(): Plugin {
  const dir = resolve(root, 'tests/.tmp');
  return {
    name: 'isoscope-test-files',
    configureServer(server) {
      server.middlewares.use('/__test-files/', (req, res) => {
        const path = resolve(dir, decodeURIComponent((req.url ?? '').replace(/^\//, '').split('?')[0]!));
        if (!path.startsWith(dir + '/')) {
          res.statusCode = 403;
          res.end();
          return;
        }
        try {
          const body = readFileSync(path);
          res.setHeader('Content-Type', 'application/octet-stream');
          res.setHeader('Cache-Control', 'no-store');
          res.end(body);
        } catch {
          res.statusCode = 404;
          res.end();
        }
      });
    },
  };
}

const pwa = VitePWA({
  registerType: 'autoUpdate',
  injectRegister: 'script',
  includeAssets: ['icon.svg', 'sample.iso'],
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm,iso}'],
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    navigateFallback: 'index.html',
  },
  manifest: {
    name: 'isoscope — private disc-image inspector',
    short_name: 'isoscope',
    description: 'What is on this disc image, and is it the genuine file? Read on your device; nothing is uploaded.',
    theme_color: '#2457c5',
    background_color: '#121316',
    display: 'standalone',
    start_url: '.',
    scope: '.',
    icons: [
      { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
      { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
    file_handlers: [
      {
        action: '.',
        accept: {
          'application/x-iso9660-image': ['.iso'],
          'application/x-raw-disk-image': ['.img'],
          'application/x-ms-wim': ['.wim', '.esd', '.swm'],
        },
      },
    ],
  } as never,
});

export default defineConfig({
  base: './',
  root: resolve(root, 'src'),
  publicDir: resolve(root, 'public'),
  plugins: [svelte(), cspPlugin(), ...(process.env.VITEST ? [testFilesPlugin()] : [pwa])],
  worker: { format: 'es' },
  // Pre-bundled up front: found later (hash-wasm, client-zip and openpgp are first met inside a worker),
  // Vite re-optimises and reloads the page, which kills a running browser test
  // on a fresh clone.
  optimizeDeps: { include: ['comlink', 'hash-wasm', 'idb-keyval', 'client-zip', 'openpgp'] },
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
          name: 'e2e',
          root,
          include: ['tests/e2e/**/*.test.ts'],
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
