#!/usr/bin/env node
// Entry for `npx isoscope`: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';
register();
// A reader that stops early (| head) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e) => (e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : Promise.reject(e)));
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
