/**
 * A Windows-like tree of real files for the WIM bench: this machine's shared
 * libraries as Windows/System32, /usr/share's packages as WinSxS component
 * folders (amd64_microsoft-windows-NAME_31bf3856ad364e35_6.1.7601.17514_none_HASH),
 * C headers as the Windows Kits' Include folder, node_modules as Program
 * Files: binaries and text in the proportions of an install image, more than
 * 50,000 entries. Files are hard links to the originals (same file system;
 * copied otherwise): nothing is written to them, wimlib and genisoimage only
 * read them.
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';

export interface TreeStats {
  files: number;
  dirs: number;
  bytes: number;
}

interface Source {
  from: string;
  /** Where a file at `rel` (relative to `from`) goes in the tree. */
  to: (rel: string) => string;
  maxFiles: number;
  maxBytes: number;
  /** Larger files are skipped. */
  maxFile: number;
}

const component = (name: string) =>
  `Windows/WinSxS/amd64_microsoft-windows-${name.toLowerCase()}_31bf3856ad364e35_6.1.7601.17514_none_${createHash('sha1').update(name).digest('hex').slice(0, 16)}`;

function sources(root: string): Source[] {
  const small = 256 * 1024;
  return [
    {
      from: '/usr/lib/x86_64-linux-gnu',
      to: (rel) => `Windows/System32/${rel.replace(/\.so((?:\.\d+)*)$/, '$1.dll')}`,
      maxFiles: 3000,
      maxBytes: 250e6,
      maxFile: 8 << 20,
    },
    {
      from: '/usr/share',
      to: (rel) => {
        const [pkg, ...rest] = rel.split('/');
        return rest.length ? `${component(pkg!)}/${rest.join('/')}` : `Windows/WinSxS/Manifests/${pkg}.manifest`;
      },
      maxFiles: 42_000,
      maxBytes: 300e6,
      maxFile: small,
    },
    { from: '/usr/include', to: (rel) => `Program Files (x86)/Windows Kits/10/Include/10.0.19041.0/${rel}`, maxFiles: 9000, maxBytes: 100e6, maxFile: small },
    { from: '/usr/lib/python3', to: (rel) => `Program Files/Python311/Lib/${rel}`, maxFiles: 4000, maxBytes: 100e6, maxFile: small },
    { from: resolve(root, 'node_modules'), to: (rel) => `Program Files/nodejs/node_modules/${rel}`, maxFiles: 20_000, maxBytes: 100e6, maxFile: small },
  ];
}

/** Regular files under `dir`, sorted, depth first (symbolic links and unreadable folders skipped). */
function* files(dir: string): Generator<{ path: string; size: number }> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) yield* files(p);
    else if (st.isFile()) yield { path: p, size: st.size };
  }
}

/** Fill `dest` (empty) with the tree; `root` is the project (for node_modules). At least `minEntries` files and folders. */
export function makeWindowsLikeTree(dest: string, root: string, minEntries = 55_000): TreeStats {
  const made = new Set<string>();
  const stats: TreeStats = { files: 0, dirs: 0, bytes: 0 };
  const ensureDir = (d: string) => {
    if (d === dest || made.has(d)) return;
    ensureDir(dirname(d));
    mkdirSync(d, { recursive: true });
    made.add(d);
    stats.dirs++;
  };
  for (const s of sources(root)) {
    let n = 0,
      bytes = 0;
    for (const f of files(s.from)) {
      if (n >= s.maxFiles || bytes >= s.maxBytes || stats.files + stats.dirs >= minEntries + 2000) break;
      if (f.size > s.maxFile) continue;
      const to = join(dest, s.to(relative(s.from, f.path)));
      ensureDir(dirname(to));
      try {
        linkSync(f.path, to);
      } catch {
        try {
          copyFileSync(f.path, to);
        } catch {
          continue; // unreadable, or a name that exists already (two sources mapping to one path)
        }
      }
      n++;
      bytes += f.size;
      stats.files++;
      stats.bytes += f.size;
    }
  }
  if (stats.files + stats.dirs < minEntries) throw new Error(`only ${stats.files + stats.dirs} entries found for the Windows-like tree`);
  return stats;
}
