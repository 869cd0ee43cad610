#!/usr/bin/env node
// Entry for `npx isoscope`: the CLI bundled to one plain script by
// workers/cli/build.mjs (run by `npm ci`/`npm install` through "prepare", and
// before the tests), compiled with V8's code cache: the first run writes the
// cache beside the bundle, later runs skip compiling it (tens of
// milliseconds of a start-up that should cost little more than Node's own).
// CommonJS, not an ES module: Node starts a CommonJS entry several
// milliseconds sooner (no ES module loader to set up), and this file is all
// that runs before the bundle.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

// A reader that stops early (| head) is not an error of ours.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => (e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : Promise.reject(e)));

const bundle = join(__dirname, 'dist', 'main.cjs');
const cacheFile = `${bundle}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const source = readFileSync(bundle, 'utf8');
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
const bundled = { exports: {} };
script.runInThisContext()(bundled.exports, require, bundled, bundle, dirname(bundle));
void bundled.exports.main(process.argv.slice(2)).then((exitCode) => {
  if (cachedData === undefined || script.cachedDataRejected) {
    try {
      // After the run, so the cache holds the functions it compiled too.
      writeFileSync(cacheFile, script.createCachedData());
    } catch {
      // A read-only install: start-up is slower, nothing else changes.
    }
  }
  process.exitCode = exitCode;
});
