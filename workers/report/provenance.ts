/**
 * "Is it genuine?": the report's `provenance` section. Two kinds of answer,
 * kept apart on purpose:
 *  - the catalogue (workers/catalogue): the file's size against every
 *    catalogued release at once, and after hashing an exact match or none.
 *    Only an exact hash match says "identical to a catalogued release" (one that public sources list, named with it).
 *  - signals read in the same few kilobytes as identification: who wrote the
 *    volume, its layout, the install image's traits, files added, the boot
 *    catalog's shape. Each says what it saw, what Microsoft's media show, and
 *    how strong a sign it is; none of them says "genuine".
 * Every fact a signal compares with is cited in docs/provenance.md.
 */
import { CATALOGUE, CATALOGUE_HASHES, releasesOfSize, releasesWithHash, sourcesOf } from '../catalogue/catalogue.ts';
import type { CatalogueHash, CatalogueRelease } from '../catalogue/types.ts';
import type { WindowsReport } from '../formats/windows/identify.ts';
import type { BootInfo, FileSystems, Provenance, ProvenanceSignal, ReleaseRef, VolumeInfo } from './types.ts';
import { summarize } from './verdict.ts';
import { groupedDigits } from '../io/bytes.ts';

/** What the inspection saw that the signals need (names in the first levels of the trees). */
export interface ProvenanceFacts {
  fileSize: number;
  volume: VolumeInfo | null;
  filesystems: FileSystems;
  boot: BootInfo | null;
  /** Null for a file that is not a Windows install image: only the catalogue's size answer applies. */
  windows: WindowsReport | null;
  /** Names in the root of the plain ISO 9660 tree (null: no ISO 9660). */
  isoRoot: string[] | null;
  /** Names in the root of the best tree, and in its sources/ directory. */
  root: string[];
  sources: string[];
  /** Where the disc inside the file ends (the ISO 9660 volume, or UDF's last partition), and whether what follows is zeros (sampled). */
  padding?: { volumeEnd: number; zeros: boolean } | null;
}

const hashesOf = (r: CatalogueRelease): Partial<Record<CatalogueHash, string>> =>
  Object.fromEntries(CATALOGUE_HASHES.filter((h) => r[h]).map((h) => [h, r[h]!]));

const refOf = (r: CatalogueRelease): ReleaseRef => ({
  id: r.id,
  names: r.names,
  size: r.size,
  product: r.product,
  edition: r.edition,
  release: r.release,
  language: r.language,
  arch: r.arch,
  channel: r.channel,
  hashes: hashesOf(r),
  sources: sourcesOf(r),
  confirmed: r.confirmed,
});

const describe = (r: ReleaseRef) => r.names[0] ?? [r.product, r.edition, r.release, r.arch, r.language].filter(Boolean).join(' ');
const others = (n: number) => (n > 0 ? ` (and ${n} other name${n === 1 ? '' : 's'})` : '');
/** The releases of the identified product, arch and language (for "no release has this size"). */
function sameProduct(w: WindowsReport | null): CatalogueRelease[] {
  if (!w) return [];
  const product = w.product?.name ?? null;
  const first = w.images[0];
  const arch = first?.arch ?? null;
  const lang = (first?.defaultLanguage ?? first?.languages[0] ?? '').toLowerCase();
  if (!product || !arch || !lang) return [];
  return CATALOGUE.releases.filter(
    (r) =>
      r.product === product &&
      r.arch === arch &&
      r.language !== null &&
      (lang === r.language || lang.startsWith(r.language + '-') || r.language.startsWith(lang)),
  );
}

/** What the disc says of itself that a catalogue row also says: product, edition (ei.cfg first, else a single image's), architecture, language. */
interface DiscSays {
  product: string | null;
  edition: string | null;
  editionFrom: 'ei.cfg' | 'install image' | null;
  arch: string | null;
  language: string | null;
}

function discSays(w: WindowsReport | null): DiscSays | null {
  if (!w) return null;
  const first = w.images[0];
  const fromEi = w.eiCfg?.editionId ?? null;
  const single = w.images.length === 1 ? (first?.editionId ?? null) : null;
  return {
    product: w.product?.name ?? null,
    edition: fromEi ?? single,
    editionFrom: fromEi ? 'ei.cfg' : single ? 'install image' : null,
    arch: first?.arch ?? null,
    language: (first?.defaultLanguage ?? first?.languages[0] ?? null)?.toLowerCase() ?? null,
  };
}

const sameLanguage = (a: string, b: string) => a === b || a.startsWith(b + '-') || b.startsWith(a + '-');
/** "HomePremium" and "Home Premium", "ProfessionalN" and "Professional N" are one edition. */
const sameEdition = (a: string, b: string) => a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

/** The facts of `says` that release `r` contradicts (a fact either side does not state is no contradiction). */
function contradictions(r: ReleaseRef, says: DiscSays): string[] {
  const out: string[] = [];
  if (says.product && r.product && says.product !== r.product) out.push(says.product);
  if (says.edition && r.edition && !sameEdition(says.edition, r.edition)) out.push(`${says.edition} (${says.editionFrom})`);
  if (says.arch && r.arch && says.arch !== r.arch) out.push(says.arch);
  if (says.language && r.language && !sameLanguage(says.language, r.language.toLowerCase())) out.push(says.language);
  return out;
}

function sizeVerdict(size: number, w: WindowsReport | null): Provenance['size'] {
  const all = releasesOfSize(size).map(refOf);
  if (all.length) {
    const says = discSays(w);
    const fitting = says ? all.filter((r) => contradictions(r, says).length === 0) : all;
    if (says && fitting.length === 0) {
      const saw = [...new Set(all.flatMap((r) => contradictions(r, says)))].join(', ');
      return {
        verdict: 'contradicts',
        candidates: all,
        statement: `${groupedDigits(size)} bytes, the size of ${describe(all[0]!)}${others(all.flatMap((c) => c.names).length - 1)}; but the disc holds ${saw}: not any of them. A file of a release's exact size with other contents was made to copy that size`,
      };
    }
    const candidates = fitting;
    const names = candidates.flatMap((c) => c.names);
    // Say what narrowed it when the disc's contents ruled releases of that size out (Professional and Ultimate "U" media share a size; ei.cfg tells them apart).
    const by =
      says && candidates.length < all.length && says.edition ? ` and ${says.editionFrom === 'ei.cfg' ? 'ei.cfg' : 'its install image'} (${says.edition})` : '';
    return {
      verdict: 'candidate',
      candidates,
      statement: `${groupedDigits(size)} bytes${by}: the size of ${describe(candidates[0]!)}${others(names.length - 1)}; hash it to confirm`,
    };
  }
  const peers = sameProduct(w);
  if (peers.length && peers.every((r) => r.size !== null)) {
    return {
      verdict: 'no-release-of-this-size',
      candidates: [],
      statement: `${groupedDigits(size)} bytes: no catalogued ${w!.product!.name} ${peers[0]!.arch} ${peers[0]!.language} release has this size (${peers.length} known, each with its size)`,
    };
  }
  return {
    verdict: 'unknown',
    candidates: [],
    statement: `${groupedDigits(size)} bytes: no catalogued release has this size; the catalogue does not hold every release, so this alone proves nothing`,
  };
}

const gb = (n: number) => `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} GB`;

/** Zeros after the disc's own end: how a rebuilt image is made to copy a release's size. */
function padding(f: ProvenanceFacts, size: Provenance['size'], out: ProvenanceSignal[]): void {
  const p = f.padding;
  if (!p || !p.zeros || f.fileSize - p.volumeEnd < 1 << 20) return;
  const extra = f.fileSize - p.volumeEnd;
  const to = size.candidates[0] ? `: padded to the size of ${describe(size.candidates[0])}?` : '';
  out.push({
    id: 'padded',
    title: `The file is ${gb(extra)} longer than the disc inside it (zeros after the volume)${to}`,
    verdict: 'altered',
    strength: 'strong',
    saw: `the volume ends at byte ${groupedDigits(p.volumeEnd)}; the file runs on to ${groupedDigits(f.fileSize)} with zeros`,
    microsoft: "the file ends where the disc's volume ends",
    source: 'padded',
  });
}

function sizeContradicts(size: Provenance['size'], out: ProvenanceSignal[]): void {
  if (size.verdict !== 'contradicts') return;
  out.push({
    id: 'size-contradicts',
    title: "The file has a catalogued release's exact size but other contents",
    verdict: 'altered',
    strength: 'strong',
    saw: size.statement,
    microsoft: 'a release file holds what its name says',
    source: 'size-contradicts',
  });
}

/** The algorithms that confirm `rows`: one per release is enough, the strongest each one is listed with. */
function algorithmsFor(rows: Iterable<Partial<Record<CatalogueHash, string | null>>>): CatalogueHash[] {
  const want = new Set<CatalogueHash>();
  for (const h of rows) {
    const best = CATALOGUE_HASHES.find((a) => h[a]);
    if (best) want.add(best);
  }
  return CATALOGUE_HASHES.filter((a) => want.has(a));
}

/** Over every release: the same for every image, so worked out once (a folder's table asks for it a thousand times). */
let forEveryRelease: CatalogueHash[] | null = null;

function toConfirm(size: Provenance['size'], w: WindowsReport | null): CatalogueHash[] {
  // The candidates by size; else the product's releases in this language and arch; else the product's; else every
  // release. Each pool is looked at only when the one before it is empty.
  if (size.candidates.length) return algorithmsFor(size.candidates.map((c) => c.hashes));
  const same = sameProduct(w);
  if (same.length) return algorithmsFor(same);
  const product = w ? CATALOGUE.releases.filter((r) => r.product === w.product?.name) : [];
  if (product.length) return algorithmsFor(product);
  return (forEveryRelease ??= algorithmsFor(CATALOGUE.releases));
}

/** After hashing: an exact match against any catalogued release, or none. */
export function matchHashes(hashes: Record<string, string>): Provenance['match'] {
  const computed = CATALOGUE_HASHES.filter((a) => hashes[a]);
  if (!computed.length) return null;
  for (const a of computed) {
    const found = releasesWithHash(a, hashes[a]!);
    if (found.length) {
      const refs = found.map(refOf);
      const names = refs.flatMap((r) => r.names);
      const by = [...new Set(found.flatMap((r) => sourcesOf(r, a)))];
      return {
        verdict: 'identical',
        algorithm: a,
        releases: refs,
        statement: `Identical to ${names.join(', ') || describe(refs[0]!)} (${a.toUpperCase()} as listed by ${by.join(', ')})`,
      };
    }
  }
  return {
    verdict: 'not-in-catalogue',
    algorithm: null,
    releases: [],
    statement: `Not any release in the catalogue (${computed.map((a) => a.toUpperCase()).join(', ')} compared with ${CATALOGUE.releases.length} releases); the catalogue does not hold every release`,
  };
}

// ---------- signals ----------

/** Third-party mastering tools that write their name into the ISO 9660 identifiers (as isoinfo reads them). */
const THIRD_PARTY_TOOLS =
  /GENISOIMAGE|MKISOFS|XORRISO|LIBISOFS|IMGBURN|POWERISO|ULTRAISO|NERO|ANYBURN|CDBURNERXP|WINISO|MAGICISO|ROXIO|DEEPBURNER|FOLDER2ISO|ANYTOISO/i;
const ACTIVATORS = /kmspico|kmsauto|kms_?vl|aact|hwidgen|mas_aio|activat|windows ?loader|chew7|removewat/i;
const THIRD_PARTY_LOADERS = /isolinux|syslinux|grub|ldlinux|memdisk|easy2boot|ventoy/i;

function whoWrote(f: ProvenanceFacts, out: ProvenanceSignal[]): void {
  const udf = f.filesystems.udf;
  const impl = typeof udf?.implementationId === 'string' && udf.implementationId ? udf.implementationId : null;
  if (impl) {
    const microsoft = /^\*Microsoft CDIMAGE UDF/i.test(impl);
    out.push({
      id: 'udf-implementation',
      title: microsoft ? "The UDF volume names Microsoft's mastering tool" : `The UDF volume was written by ${impl.replace(/^\*/, '')}`,
      verdict: microsoft ? 'consistent' : 'rebuilt',
      strength: microsoft ? 'weak' : 'strong',
      saw: `UDF implementation identifier "${impl}"`,
      microsoft: '"*Microsoft CDIMAGE UDF" (CDIMAGE/OSCDIMG); any tool can copy it, so it proves nothing by itself',
      source: 'udf-implementation',
    });
  } else if (f.filesystems.iso9660 && !udf) {
    out.push({
      id: 'no-udf',
      title: 'There is no UDF file system: another tool built this disc',
      verdict: 'rebuilt',
      strength: 'strong',
      saw: 'ISO 9660 only',
      microsoft: 'Windows Vista and later install media are UDF discs with an ISO 9660 bridge',
      source: 'layout',
    });
  }
  const ids = [f.volume?.applicationId, f.volume?.preparerId, f.volume?.publisherId].filter((x): x is string => !!x);
  const tool = ids.find((x) => THIRD_PARTY_TOOLS.test(x));
  const cdimage = ids.find((x) => /^CDIMAGE\b/.test(x));
  if (tool) {
    out.push({
      id: 'iso-identifiers',
      title: `The ISO 9660 volume names a third-party tool: ${tool.match(THIRD_PARTY_TOOLS)![0].toUpperCase()}`,
      verdict: 'rebuilt',
      strength: 'strong',
      saw: `"${tool.slice(0, 120)}"`,
      microsoft: 'Microsoft\'s media name CDIMAGE in the application identifier ("CDIMAGE 2.5x …")',
      source: 'iso-identifiers',
    });
  } else if (cdimage) {
    out.push({
      id: 'iso-identifiers',
      title: "The ISO 9660 volume names Microsoft's CDIMAGE",
      verdict: 'consistent',
      strength: 'weak',
      saw: `"${cdimage}"`,
      microsoft: 'the same; rebuild guides copy it, so it proves nothing by itself',
      source: 'iso-identifiers',
    });
  }
}

function layout(f: ProvenanceFacts, out: ProvenanceSignal[]): void {
  if (!f.isoRoot || !f.filesystems.udf) return;
  // The boot catalog's own name is a tool's choice, not a file Microsoft put there.
  const names = f.isoRoot.map((n) => n.replace(/;\d+$/, '').replace(/\.$/, '').toUpperCase()).filter((n) => n !== 'BOOT.CATALOG' && n !== 'BOOT.CAT');
  const readmeOnly = names.length <= 1 && names.every((n) => n === 'README.TXT');
  out.push(
    readmeOnly && !f.filesystems.joliet && !f.filesystems.rockRidge
      ? {
          id: 'layout',
          title: "Microsoft's layout: the ISO 9660 part holds only README.TXT",
          verdict: 'consistent',
          strength: 'weak',
          saw: `ISO 9660 root: ${f.isoRoot.join(', ') || '(empty)'}`,
          microsoft: 'README.TXT only, everything else in UDF',
          source: 'layout',
        }
      : {
          id: 'layout',
          title: 'Every file is in the ISO 9660 tree too: another tool built this disc',
          verdict: 'rebuilt',
          strength: 'strong',
          saw: `ISO 9660 root holds ${names.length} entries${f.filesystems.joliet ? ', and a Joliet tree' : ''}${f.filesystems.rockRidge ? ', and Rock Ridge' : ''}`,
          microsoft: 'README.TXT only in ISO 9660 (no Joliet, no Rock Ridge), everything else in UDF',
          source: 'layout',
        },
  );
}

/** Windows 7 builds of Microsoft's own media, from the catalogue's build-lab names (7600.16385, 7601.17514, 7601.24214). */
function win7Builds(): string[] {
  return [
    ...new Set(CATALOGUE.releases.filter((r) => (r.product === 'Windows 7' || r.product === 'Windows Server 2008 R2') && r.build).map((r) => r.build!)),
  ].sort();
}

function windows7Image(w: WindowsReport, out: ProvenanceSignal[]): void {
  if (w.product?.name !== 'Windows 7') return;
  const solid = Object.values(w.resources).some((r) => r.flagNames.includes('solid'));
  if (w.format !== 'wim' || w.compression === 'LZMS' || solid) {
    const what = w.format === 'swm' ? 'split (install.swm)' : w.format === 'esd' ? 'an ESD' : `${w.compression}-compressed`;
    out.push({
      id: 'install-image-format',
      title: `The install image is ${what}: Windows 7 media never were`,
      verdict: 'altered',
      strength: 'strong',
      saw: `${w.imageFile}, ${w.compression}${solid ? ', solid resources' : ''}`,
      microsoft: 'sources/install.wim, LZX compression',
      source: 'install-image',
    });
  }
  const known = win7Builds();
  const builds = [
    ...new Set(w.images.map((i) => (i.build !== null && i.spBuild !== null ? `${i.build}.${i.spBuild}` : null)).filter((b): b is string => b !== null)),
  ];
  const odd = builds.filter((b) => !known.includes(b));
  if (builds.length) {
    out.push(
      odd.length
        ? {
            id: 'build',
            title: `Build ${odd.join(', ')} is not one Microsoft released Windows 7 media with: updates were integrated`,
            verdict: 'altered',
            strength: 'strong',
            saw: `image build${builds.length > 1 ? 's' : ''} ${builds.join(', ')}`,
            microsoft: known.join(', '),
            source: 'build',
          }
        : {
            id: 'build',
            title: `Build ${builds.join(', ')} is one Microsoft released Windows 7 media with`,
            verdict: 'consistent',
            strength: 'weak',
            saw: `image build ${builds.join(', ')}`,
            microsoft: known.join(', '),
            source: 'build',
          },
    );
  }
  const late = w.images.filter((i) => i.modified && i.modified >= '2019-01-01');
  if (late.length) {
    out.push({
      id: 'timestamps',
      title: `The install image was modified in ${late[0]!.modified!.slice(0, 4)}, after Microsoft's last Windows 7 media (August 2018)`,
      verdict: 'altered',
      strength: 'strong',
      saw: `LASTMODIFICATIONTIME ${late.map((i) => `#${i.index} ${i.modified!.slice(0, 10)}`).join(', ')}`,
      microsoft: 'no later than 2018 (7601.24214.180801)',
      source: 'timestamps',
    });
  }
}

function labelAgainstImage(w: WindowsReport, out: ProvenanceSignal[]): void {
  const label = w.labelInfo;
  if (!label || !w.images.length) return;
  const arches = [...new Set(w.images.map((i) => i.arch).filter(Boolean))];
  if (label.arch && arches.length && !arches.includes(label.arch)) {
    out.push({
      id: 'label-arch',
      title: `The label says ${label.arch}, the install image holds ${arches.join(', ')}`,
      verdict: 'altered',
      strength: 'strong',
      saw: `label ${label.label}`,
      microsoft: "the label's architecture is the image's",
      source: 'label',
    });
  }
  const langs = [...new Set(w.images.map((i) => (i.defaultLanguage ?? i.languages[0] ?? '').toLowerCase()).filter(Boolean))];
  const labelLang = label.language?.toLowerCase() ?? null;
  if (labelLang && langs.length && !langs.some((l) => l === labelLang || l.startsWith(labelLang + '-') || labelLang.startsWith(l))) {
    out.push({
      id: 'label-language',
      title: `The label says ${label.language}, the install image is ${langs.join(', ')}`,
      verdict: 'altered',
      strength: 'strong',
      saw: `label ${label.label}`,
      microsoft: "the label's language is the image's",
      source: 'label',
    });
  }
  if (
    label.edition &&
    label.product === 'Windows 7' &&
    !w.images.some((i) => i.editionId?.toLowerCase() === label.edition!.toLowerCase().replace(/\s+/g, ''))
  ) {
    out.push({
      id: 'label-edition',
      title: `The label announces ${label.edition}, which the install image does not hold`,
      verdict: 'altered',
      strength: 'strong',
      saw: `editions ${w.images.map((i) => i.editionId).join(', ')}`,
      microsoft: 'the announced edition is among the images',
      source: 'label',
    });
  }
  const eiChannel = w.eiCfg?.channel?.toLowerCase() ?? null;
  if (eiChannel && label.channel && eiChannel !== label.channel) {
    out.push({
      id: 'eicfg',
      title: `ei.cfg says ${w.eiCfg!.channel}, the label says ${label.channel}`,
      verdict: 'altered',
      strength: 'strong',
      saw: `sources/ei.cfg Channel=${w.eiCfg!.channel}; label ${label.label}`,
      microsoft: "ei.cfg's channel is the label's",
      source: 'eicfg',
    });
  }
}

function addedFiles(f: ProvenanceFacts, out: ProvenanceSignal[]): void {
  const root = f.root.map((x) => x.toLowerCase());
  const sources = f.sources.map((x) => x.toLowerCase());
  const added: string[] = [];
  if (root.includes('autounattend.xml')) added.push("autounattend.xml (answers Setup's questions)");
  if (sources.includes('$oem$')) added.push('sources/$OEM$ (files copied into the installed system, e.g. SetupComplete.cmd)');
  for (const n of ['unattend.xml', 'autounattend.xml']) if (sources.includes(n)) added.push(`sources/${n}`);
  for (const n of [...f.root, ...f.sources.map((x) => `sources/${x}`)]) if (ACTIVATORS.test(n)) added.push(`${n} (an activation tool)`);
  if (added.length) {
    out.push({
      id: 'added-files',
      title: `Files added: ${added.map((a) => a.replace(/ \(.*$/, '')).join(', ')}`,
      verdict: 'added',
      strength: 'strong',
      saw: added.join('; '),
      microsoft: 'none of these files',
      source: 'added-files',
    });
  }
}

function bootCatalog(f: ProvenanceFacts, out: ProvenanceSignal[]): void {
  if (!f.boot) return;
  const bios = f.boot.entries.find((e) => e.platform === 'bios');
  const uefi = f.boot.entries.find((e) => e.platform === 'uefi');
  const third = f.boot.entries.find((e) => e.path && THIRD_PARTY_LOADERS.test(e.path));
  if (third) {
    out.push({
      id: 'boot-catalog',
      title: `Boots through a third-party loader (${third.path})`,
      verdict: 'altered',
      strength: 'strong',
      saw: `boot entry ${third.index}: ${third.path}`,
      microsoft: 'etfsboot.com (BIOS) and efisys.bin (UEFI)',
      source: 'boot-catalog',
    });
  } else if (bios) {
    const msShape = bios.emulation === 'none' && bios.sectorCount === 8 && (bios.loadSegment === 0x07c0 || bios.loadSegment === 0);
    out.push({
      id: 'boot-catalog',
      title: msShape ? "The BIOS boot entry has the shape of Microsoft's (etfsboot.com)" : "The BIOS boot entry differs from Microsoft's",
      verdict: msShape ? 'consistent' : 'rebuilt',
      strength: 'weak',
      saw: `${bios.emulation === 'none' ? 'no emulation' : bios.emulation}, ${bios.sectorCount} sectors at segment 0x${bios.loadSegment.toString(16)}${bios.path ? `, ${bios.path}` : ''}${uefi ? '; a UEFI entry' : '; no UEFI entry'}`,
      microsoft: 'no emulation, 8 sectors, load segment 0x07C0 (etfsboot.com); a UEFI entry for efisys.bin on x64 media',
      source: 'boot-catalog',
    });
  }
}

function signals(f: ProvenanceFacts): ProvenanceSignal[] {
  const out: ProvenanceSignal[] = [];
  if (!f.windows) return out;
  whoWrote(f, out);
  layout(f, out);
  windows7Image(f.windows, out);
  labelAgainstImage(f.windows, out);
  addedFiles(f, out);
  bootCatalog(f, out);
  return out;
}

/** A file that is not a Windows image but has a catalogued release's exact size: the size answer alone, no signals. */
export function sizeOnlyProvenance(fileSize: number): Provenance | null {
  if (!releasesOfSize(fileSize).length) return null;
  return provenanceOf({
    fileSize,
    volume: null,
    filesystems: { iso9660: false, joliet: null, rockRidge: false, rockRidgeId: null, udf: null },
    boot: null,
    windows: null,
    isoRoot: null,
    root: [],
    sources: [],
  });
}

/** The provenance section for a Windows install disc (or a bare WIM, which has fewer signals). */
export function provenanceOf(f: ProvenanceFacts, hashes: Record<string, string> = {}): Provenance {
  // Install files copied to a FAT volume (a stick written by the Media Creation Tool or Rufus, saved as an image):
  // the catalogue lists ISO files, so neither this file's size nor its hash can be one; only the signals speak.
  const onVolume = f.windows !== null && !f.filesystems.iso9660 && !f.filesystems.udf;
  const size: Provenance['size'] = onVolume
    ? {
        verdict: 'not-a-release-file',
        candidates: [],
        statement:
          'Windows install files on a disk volume, not an ISO file: Microsoft released ISO files, so no hash of this image can match one; what its install image shows is below',
      }
    : sizeVerdict(f.fileSize, f.windows);
  const body = {
    catalogue: { releases: CATALOGUE.releases.length, built: CATALOGUE.built },
    size,
    toConfirm: onVolume ? [] : toConfirm(size, f.windows),
    match: matchHashes(hashes),
    signals: signals(f),
  };
  padding(f, size, body.signals);
  sizeContradicts(size, body.signals);
  return { ...body, summary: summarize(body) };
}

/** The same section once hashes are known (the app and --hash hash after the report is made). */
export function withHashes(p: Provenance, hashes: Record<string, string>): Provenance {
  const body = { ...p, match: matchHashes(hashes) ?? p.match };
  return { ...body, summary: summarize(body) };
}
