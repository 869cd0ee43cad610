/**
 * What a rebuilt install image shows from the inside (#22 §4): signals read
 * from the images' metadata and the blob table alone (no file's data), each
 * with what it saw, what Microsoft's media show and how strong a sign it is,
 * cited in docs/provenance.md. Like every provenance signal, none of them
 * says "genuine".
 */
import { CATALOGUE } from '../catalogue/catalogue.ts';
import type { ProvenanceSignal } from './types.ts';

/** What one image's metadata shows, summed up as its files are met: a few lists, bounded, and counts (never every file). */
export interface InsideImage {
  index: number;
  label: string;
  /** BUILD.SPBUILD from the WIM's XML ("7601.17514"), when it says. */
  build: string | null;
  /** Files (not directories). */
  files: number;
  /** Files Setup runs or reads, and activation tools, with why each matters (at most MAX_KEPT). */
  added: { path: string; why: string }[];
  /** Windows/INF/oemN.inf names (at most MAX_KEPT). */
  oemInfs: string[];
  /** DriverStore packages with a file written after the build (at most MAX_KEPT). */
  lateDriverPackages: string[];
  /** KB numbers of update packages, and whether one was written after the build (at most MAX_KEPT). */
  updates: { kb: string; late: boolean }[];
  /** Files written after the build, and the newest. */
  late: { count: number; newest: { path: string; at: number } | null };
  noSecurity: Counted;
  /** Files whose name is not 8.3 (they need a short name), and those of them without one. */
  needShort: number;
  noShort: Counted;
  /** Against the first image read: the files it adds and how many of the first's it lacks (null for that image). */
  versusFirst: { adds: Counted; lacks: number } | null;
}

/** A count and the first few it counted. */
export interface Counted {
  count: number;
  first: string[];
}

export interface InsideFacts {
  imageFile: string;
  images: InsideImage[];
  /** Blobs of the table that no image references: what in-place updates leave (7-Zip lists them as [DELETED]). */
  unreferenced: { count: number; bytes: number };
  /** Blobs whose reference count is not the number of references the images make. */
  refMismatches: number;
  /** Images whose metadata could not be read (their signals are missing). */
  unreadable: { index: number; reason: string }[];
}

/** Paths Setup runs or reads that Microsoft's install images do not carry (docs/provenance.md#wim-added-files). */
const ADDED_PATHS: [RegExp, string][] = [
  [/^\/windows\/setup\/scripts\/setupcomplete\.cmd$/i, 'runs as SYSTEM after Setup'],
  [/^\/windows\/setup\/scripts\/errorhandler\.cmd$/i, 'runs when Setup fails'],
  [/^\/windows\/panther\/(auto)?unattend\.xml$/i, "answers Setup's questions"],
  [/^\/windows\/system32\/sysprep\/unattend\.xml$/i, "answers Setup's questions after Sysprep"],
  [/\/\$oem\$(\/|$)/i, 'files copied into the installed system'],
];
/** Names of activation tools (the same list as the disc's own files, provenance.ts). */
const ACTIVATORS = /kmspico|kmsauto|kms_?vl|aact|hwidgen|mas_aio|activat|windows ?loader|chew7|removewat/i;
/** Driver packages a user adds are renamed oemN.inf in Windows\INF (docs/provenance.md#wim-drivers). */
const OEM_INF = /^\/windows\/inf\/oem\d+\.inf$/i;
const DRIVER_STORE = /^\/windows\/system32\/driverstore\/filerepository\/([^/]+)\//i;
const UPDATE_PACKAGE = /^\/windows\/servicing\/packages\/[^/]*kb(\d{6,7})[^/]*\.mum$/i;
/** Files written this long after a build's date stamp are not the build's own (the image is captured days after compiling). */
const LATE_MARGIN_DAYS = 30;
const MAX_LISTED = 8;

/** Lists kept per image: enough for every signal's words, bounded whatever the image holds. */
const MAX_KEPT = 64;

const list = (items: string[], count = items.length) =>
  count > Math.min(MAX_LISTED, items.length)
    ? `${items.slice(0, MAX_LISTED).join(', ')} and ${count - Math.min(MAX_LISTED, items.length)} more`
    : items.join(', ');
const mib = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MiB`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The date stamp Microsoft's build-lab names carry for a build ("7601.17514.101119-1850" → 2010-11-19), from the catalogue's names. */
export function buildDate(build: string): number | null {
  const stamp = new RegExp(`(?:^|[^0-9.])${build.replace('.', '\\.')}\\.(\\d{2})(\\d{2})(\\d{2})-\\d{4}`);
  for (const r of CATALOGUE.releases) {
    for (const n of r.names) {
      const m = stamp.exec(n);
      if (m) return Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    }
  }
  return null;
}

/** "in all 3 images" or "in images 2 and 4". */
function where(indices: number[], of: number): string {
  if (of === 1) return '';
  if (indices.length === of) return ` (in all ${of} images)`;
  return ` (in image${indices.length === 1 ? '' : 's'} ${indices.join(', ')})`;
}

/** The images each key is in, keys in the order first met. */
function byImage(images: InsideImage[], keys: (img: InsideImage) => string[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const img of images) for (const key of new Set(keys(img))) found.set(key, [...(found.get(key) ?? []), img.index]);
  return found;
}

function addedFiles(f: InsideFacts, out: ProvenanceSignal[]): void {
  const found = byImage(f.images, (img) => img.added.map((a) => `${a.path.slice(1)} (${a.why})`));
  if (!found.size) return;
  const n = f.images.length;
  out.push({
    id: 'wim-added-files',
    title: `Files added to the install image: ${list([...found.keys()].map((k) => k.replace(/ \(.*$/, '')))}`,
    verdict: 'added',
    strength: 'strong',
    saw: [...found].map(([k, at]) => `${k}${where(at, n)}`).join('; '),
    microsoft: "none of these files: Microsoft's install images carry no Setup scripts, answer files, $OEM$ folders or activation tools",
    source: 'wim-added-files',
  });
}

function drivers(f: InsideFacts, out: ProvenanceSignal[]): void {
  const oem = byImage(f.images, (img) => img.oemInfs);
  const lateStore = byImage(f.images, (img) => img.lateDriverPackages);
  if (!oem.size && !lateStore.size) return;
  const n = f.images.length;
  const saw = [
    ...(oem.size ? [`Windows/INF/${list([...oem.keys()])}${where([...new Set([...oem.values()].flat())], n)}`] : []),
    ...(lateStore.size ? [`DriverStore/FileRepository/${list([...lateStore.keys()])}, written after the build`] : []),
  ];
  out.push({
    id: 'wim-drivers',
    title: `Drivers added to the install image (${oem.size + lateStore.size} package${oem.size + lateStore.size === 1 ? '' : 's'})`,
    verdict: 'added',
    strength: 'strong',
    saw: saw.join('; '),
    microsoft:
      'only the inbox drivers of the build: no oemN.inf (what DISM /Add-Driver and pnputil name a driver they add), no driver package written after the build',
    source: 'wim-drivers',
  });
}

function updates(f: InsideFacts, cutoff: number | null, out: ProvenanceSignal[]): void {
  const kbs = new Map<string, boolean>();
  for (const img of f.images) for (const u of img.updates) kbs.set(u.kb, (kbs.get(u.kb) ?? false) || u.late);
  if (!kbs.size) return;
  const late = [...kbs].filter(([, l]) => l).map(([kb]) => `KB${kb}`);
  out.push(
    late.length
      ? {
          id: 'wim-updates',
          title: `Updates integrated into the install image: ${list(late)}`,
          verdict: 'altered',
          strength: 'strong',
          saw: `update packages in Windows/servicing/Packages written after the build: ${list(late)}`,
          microsoft: 'the packages of the build itself, written when it was built',
          source: 'wim-updates',
        }
      : {
          id: 'wim-updates',
          title: `Update packages of the build: ${list([...kbs.keys()].map((kb) => `KB${kb}`))}`,
          verdict: 'info',
          strength: 'weak',
          saw: `Windows/servicing/Packages: ${list([...kbs.keys()].map((kb) => `KB${kb}`))}${cutoff === null ? ' (the build’s date is not known here, so when they were written says nothing)' : ', none written after the build'}`,
          microsoft: 'the update packages a build ships with (a service pack carries its own)',
          source: 'wim-updates',
        },
  );
}

function lateFiles(f: InsideFacts, cutoff: number | null, build: string | null, out: ProvenanceSignal[]): void {
  if (cutoff === null) return;
  let count = 0;
  let newest: { path: string; at: number } | null = null;
  for (const img of f.images) {
    count += img.late.count;
    const n = img.late.newest;
    if (n && (!newest || n.at > newest.at)) newest = n;
  }
  if (!newest) return;
  out.push({
    id: 'wim-late-files',
    title: `${count} file${count === 1 ? '' : 's'} in the install image ${count === 1 ? 'was' : 'were'} written after build ${build} was made`,
    verdict: 'altered',
    strength: 'strong',
    saw: `the newest: ${newest.path.slice(1)}, ${day(newest.at)}`,
    microsoft: `files written by ${day(cutoff)} (build ${build}'s date stamp and ${LATE_MARGIN_DAYS} days)`,
    source: 'wim-late-files',
  });
}

function leftovers(f: InsideFacts, out: ProvenanceSignal[]): void {
  if (f.unreferenced.count)
    out.push({
      id: 'wim-leftover-data',
      title: `${f.unreferenced.count} stream${f.unreferenced.count === 1 ? '' : 's'} in the install image belong${f.unreferenced.count === 1 ? 's' : ''} to no image: it was changed in place`,
      verdict: 'altered',
      strength: 'strong',
      saw: `${f.unreferenced.count} blob${f.unreferenced.count === 1 ? '' : 's'} (${mib(f.unreferenced.bytes)}) that no file of any image uses (7-Zip lists them as [DELETED])`,
      microsoft: 'every stream belongs to a file: Microsoft exports its images whole',
      source: 'wim-leftover-data',
    });
  if (f.refMismatches)
    out.push({
      id: 'wim-reference-counts',
      title: `${f.refMismatches} reference count${f.refMismatches === 1 ? '' : 's'} of the blob table do not add up`,
      verdict: 'altered',
      strength: 'weak',
      saw: `${f.refMismatches} blobs whose count is not the number of files (over all images) that use them`,
      microsoft: 'each count equals its uses',
      source: 'wim-leftover-data',
    });
}

/** An 8.3 name (uppercase, 1–8 characters, an optional 1–3 character extension): a file so named needs no separate short name. */
const EIGHT_DOT_THREE = /^[A-Z0-9!#$%&'()@^_`{}~-]{1,8}(\.[A-Z0-9!#$%&'()@^_`{}~-]{1,3})?$/;

function foreignFiles(f: InsideFacts, out: ProvenanceSignal[]): void {
  for (const img of f.images) {
    if (img.files < 20) continue;
    const odd: string[] = [];
    const { noSecurity: noSd, noShort, needShort } = img;
    // Only where the rest of the image has them: a tool that captures without them leaves them out everywhere.
    if (noSd.count && noSd.count <= img.files * 0.05)
      odd.push(
        `${noSd.count} without a security descriptor (${list(
          noSd.first.map((p) => p.slice(1)),
          noSd.count,
        )})`,
      );
    if (noShort.count && needShort >= 20 && noShort.count <= needShort * 0.05)
      odd.push(
        `${noShort.count} long-named without an 8.3 name (${list(
          noShort.first.map((p) => p.slice(1)),
          noShort.count,
        )})`,
      );
    if (!odd.length) continue;
    out.push({
      id: 'wim-foreign-files',
      title: `Image ${img.index}: files unlike the rest of the image, as tools other than Microsoft's add them`,
      verdict: 'added',
      strength: 'strong',
      saw: odd.join('; '),
      microsoft: "every file of an image captured by Microsoft's tools has a security descriptor, and long names have 8.3 names",
      source: 'wim-foreign-files',
    });
  }
}

function editions(f: InsideFacts, out: ProvenanceSignal[]): void {
  const base = f.images[0];
  if (!base || f.images.length < 2) return;
  const lines: string[] = [];
  for (const img of f.images.slice(1)) {
    const v = img.versusFirst;
    if (!v || (!v.adds.count && !v.lacks)) continue;
    const adds = v.adds;
    lines.push(
      `${img.label} adds ${adds.count} file${adds.count === 1 ? '' : 's'}${
        adds.count
          ? `: ${list(
              adds.first.map((p) => p.slice(1)),
              adds.count,
            )}`
          : ''
      }${v.lacks ? `, and lacks ${v.lacks} of ${base.label}'s` : ''}`,
    );
  }
  if (!lines.length) return;
  out.push({
    id: 'wim-editions',
    title: `How the images differ from ${base.label}`,
    verdict: 'info',
    strength: 'weak',
    saw: lines.join('; '),
    microsoft: 'editions differ by their own components (Ultimate carries more than Professional)',
    source: 'wim-editions',
  });
}

/** The time after which a file is not the build's own: the build's date stamp and a margin (null when the build's date is not known). */
export function lateCutoff(build: string | null): number | null {
  const stamp = build ? buildDate(build) : null;
  return stamp === null ? null : stamp + LATE_MARGIN_DAYS * 86_400_000;
}

const count = (c: Counted, path: string) => {
  if (c.count++ < MAX_KEPT) c.first.push(path);
};

/**
 * Sums up one image as its files are met (core/inside.ts walks the
 * metadata): what the signals need and nothing per file, so that eight
 * editions of 120,000 files cost what one does. `first`: the first image's
 * paths in lowercase, when this is a later image (to say how it differs).
 */
export class ImageSummary {
  readonly image: InsideImage;
  private readonly kbs = new Map<string, boolean>();
  private readonly stores = new Set<string>();
  private readonly adds: Counted = { count: 0, first: [] };
  private matched = 0;
  constructor(
    index: number,
    label: string,
    build: string | null,
    private readonly cutoff: number | null,
    private readonly first: ReadonlySet<string> | null,
  ) {
    this.image = {
      index,
      label,
      build,
      files: 0,
      added: [],
      oemInfs: [],
      lateDriverPackages: [],
      updates: [],
      late: { count: 0, newest: null },
      noSecurity: { count: 0, first: [] },
      needShort: 0,
      noShort: { count: 0, first: [] },
      versusFirst: null,
    };
  }

  /** One file (not a directory): `path` from the image's root ("/Windows/…"), last write in ms (null for none). */
  file(path: string, modified: number | null, securityId: number, hasShortName: boolean): void {
    const img = this.image;
    img.files++;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const why = ADDED_PATHS.find(([re]) => re.test(path))?.[1] ?? (ACTIVATORS.test(name) ? 'an activation tool' : null);
    if (why && img.added.length < MAX_KEPT) img.added.push({ path, why });
    if (OEM_INF.test(path) && img.oemInfs.length < MAX_KEPT) img.oemInfs.push(name);
    const late = this.cutoff !== null && modified !== null && modified > this.cutoff;
    if (late) {
      img.late.count++;
      if (!img.late.newest || modified > img.late.newest.at) img.late.newest = { path, at: modified };
      const store = DRIVER_STORE.exec(path)?.[1];
      if (store && !this.stores.has(store) && this.stores.size < MAX_KEPT) {
        this.stores.add(store);
        img.lateDriverPackages.push(store);
      }
    }
    const kb = UPDATE_PACKAGE.exec(path)?.[1];
    if (kb && (this.kbs.has(kb) || this.kbs.size < MAX_KEPT)) this.kbs.set(kb, (this.kbs.get(kb) ?? false) || late);
    if (securityId < 0) count(img.noSecurity, path);
    if (!EIGHT_DOT_THREE.test(name)) {
      img.needShort++;
      if (!hasShortName) count(img.noShort, path);
    }
    if (this.first) {
      if (this.first.has(path.toLowerCase())) this.matched++;
      else count(this.adds, path);
    }
  }

  done(): InsideImage {
    this.image.updates = [...this.kbs].map(([kb, late]) => ({ kb, late }));
    if (this.first) this.image.versusFirst = { adds: this.adds, lacks: Math.max(0, this.first.size - this.matched) };
    return this.image;
  }
}

/** The signals from inside the install image. */
export function insideSignals(f: InsideFacts): ProvenanceSignal[] {
  const out: ProvenanceSignal[] = [];
  const build = f.images.find((i) => i.build)?.build ?? null;
  const cutoff = lateCutoff(build);
  addedFiles(f, out);
  drivers(f, out);
  updates(f, cutoff, out);
  lateFiles(f, cutoff, build, out);
  leftovers(f, out);
  foreignFiles(f, out);
  editions(f, out);
  if (f.unreadable.length)
    out.push({
      id: 'wim-unreadable',
      title: `${f.unreadable.length} image${f.unreadable.length === 1 ? '' : 's'} of the install image could not be read`,
      verdict: 'info',
      strength: 'weak',
      saw: f.unreadable.map((u) => `image ${u.index}: ${u.reason}`).join('; '),
      microsoft: 'every image readable',
      source: 'wim-added-files',
    });
  return out;
}
