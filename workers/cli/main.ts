/**
 * The CLI: wires the readers to the terminal. Exit 0 when the image was
 * recognised (warnings allowed), 1 when not or when a fatal error stopped it,
 * 2 for usage errors. --json output is always valid JSON, also on failure.
 */
import { inspect } from '../inspect.ts';
import { NodeFileSource } from '../io/node-source.ts';
import type { Report } from '../report/types.ts';
import { VERSION } from '../version.ts';
import { formatSummary } from './summary.ts';

const USAGE = `usage: isoscope <image> [--json] [--files]

  Inspects a disc image (ISO 9660, Joliet, Rock Ridge, El Torito, MBR/GPT)
  by reading only the few kilobytes that describe it.

  --json     print the report as JSON (docs/report.md)
  --files    list every file of the best tree on the disc
  --version  print the version
  --help     this text`;

interface Args {
  image: string;
  json: boolean;
  files: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const flags = new Set<string>();
  const positional: string[] = [];
  for (const a of argv) {
    if (a === '--') continue;
    if (a.startsWith('-')) flags.add(a);
    else positional.push(a);
  }
  for (const f of flags) if (!['--json', '--files', '--help', '-h', '--version'].includes(f)) return `unknown option ${f}`;
  if (flags.has('--help') || flags.has('-h')) return 'help';
  if (flags.has('--version')) return 'version';
  if (positional.length !== 1) return positional.length === 0 ? 'no image given' : 'give exactly one image';
  return { image: positional[0]!, json: flags.has('--json'), files: flags.has('--files') };
}

function openErrorText(path: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return `isoscope: ${path}: no such file`;
    case 'EISDIR':
    case 'ENOTFILE': return `isoscope: ${path}: is a directory, not an image file`;
    case 'EACCES':
    case 'EPERM': return `isoscope: ${path}: permission denied`;
    default: return `isoscope: ${path}: cannot be read (${code ?? (e as Error).message})`;
  }
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    out.write(USAGE + '\n');
    return 0;
  }
  if (args === 'version') {
    out.write(VERSION + '\n');
    return 0;
  }
  if (typeof args === 'string') {
    err.write(`isoscope: ${args}\n${USAGE}\n`);
    return 2;
  }
  let source: NodeFileSource;
  try {
    source = await NodeFileSource.open(args.image);
  } catch (e) {
    const line = openErrorText(args.image, e);
    err.write(line + '\n');
    if (args.json) out.write(JSON.stringify(failureReport(args.image, line), null, 2) + '\n');
    return 1;
  }
  let report: Report;
  try {
    report = await inspect(source, { files: args.files });
  } catch (e) {
    // inspect() turns faults into typed errors; this is the last line of defence.
    const line = `isoscope: ${args.image}: inspection failed: ${(e as Error).message}`;
    err.write(line + '\n');
    if (args.json) out.write(JSON.stringify(failureReport(args.image, line), null, 2) + '\n');
    return 1;
  } finally {
    await source.close();
  }
  out.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatSummary(report, { files: args.files }));
  return report.recognised ? 0 : 1;
}

function failureReport(path: string, message: string): Partial<Report> {
  return {
    tool: { name: 'isoscope', version: VERSION, reportVersion: 1 },
    file: { name: path.split(/[\\/]/).pop() ?? path, size: 0 },
    kind: null,
    recognised: false,
    warnings: [],
    errors: [{ code: 'CANNOT_OPEN', message, structure: 'file', offset: null }],
  };
}
