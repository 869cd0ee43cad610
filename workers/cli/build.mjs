// Bundles the CLI (workers/cli/main.ts and every reader it uses) into one
// plain CommonJS script, so `npx isoscope` starts without compiling
// TypeScript: run by `npm ci`/`npm install` (prepare) and before the tests.
// bin.cjs runs it through node:vm with V8's code cache (see there).
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** JSON modules as JSON.parse of a string (as Vite emits them): V8 reads a string far faster than an object literal of the same data. */
const jsonAsString = {
  name: 'json-as-string',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => ({
      contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(await readFile(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

await rm(`${here}dist`, { recursive: true, force: true });
await build({
  entryPoints: [`${here}main.ts`],
  outfile: `${here}dist/main.cjs`,
  bundle: true,
  platform: 'node',
  // CommonJS: one script V8 can cache whole; modules imported with import() (node:crypto for hashing) still load only when used.
  format: 'cjs',
  target: 'node20',
  // hash-wasm is only for the browser's hashes; the CLI hashes with node:crypto. OpenPGP.js is loaded
  // from node_modules when --key asks for a signature check, and never otherwise (start-up stays small).
  external: ['hash-wasm', 'openpgp'],
  // bin.cjs runs the bundle in a vm.Script, where import() needs a flag: import() of a package becomes require() (openpgp ships CommonJS too).
  supported: { 'dynamic-import': false },
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
  plugins: [jsonAsString],
});
