/**
 * The UEFI boot loaders of a disc and their Authenticode signatures.
 *
 * Firmware boots removable media from \EFI\BOOT\BOOT{arch}.EFI (UEFI 2.10
 * §3.5.1.1 "Removable Media Boot Behavior"): on a USB stick made from the
 * image that is the file in the disc's tree; from an optical disc, the same
 * path inside the El Torito UEFI boot image (a FAT volume, El Torito §2.0
 * platform 0xEF). The tree's loaders are read; the boot image's only when the
 * tree has none (the two are the same file on every Windows and Linux disc
 * seen). Each read is the PE headers and the certificate table: a few KiB;
 * with `verify`, the whole loader as well (its Authenticode digest, verify.ts):
 * 1 MiB for shim, 2.5 MiB for Windows' bootmgfw.efi, 4 MiB for GRUB.
 */
import type { ByteSource } from '../../io/byte-source.ts';
import { BudgetExceeded } from '../../io/budget.ts';
import { FormatError, type ProblemLog } from '../../io/problems.ts';
import type { HasherFactory } from '../../hash/hashers.ts';
import { readAuthenticode, type AuthenticodeSignature } from './authenticode.ts';
import { verifyPeSignatures, type PeVerification, type VerifyOptions } from './verify.ts';
import type { BootPlatform } from '../iso9660/eltorito.ts';
import { FatVolume } from '../fat/fat.ts';
import { fileData, imageOffset } from '../file-data.ts';
import { readPeHeader } from './pe.ts';
import { listDirectory, type TreeReader } from '../tree.ts';
import { ISO_SECTOR } from '../iso9660/descriptors.ts';

const LOADER_NAME = /^boot[a-z0-9]+\.efi$/i;
const MAX_LOADERS = 8;

export interface EfiLoader {
  /** Its path on the disc, or inside the El Torito boot image. */
  path: string;
  /** Where it was found: the disc's tree, or the El Torito UEFI boot image (catalog entry `bootEntry`). */
  foundIn: 'tree' | 'el-torito-image';
  bootEntry: number | null;
  size: number;
  /** The PE machine type (x64, arm64, x86, …), or null when the headers could not be read. */
  machine: string | null;
  /** Empty: not signed (when `unreadable` is null). */
  signatures: AuthenticodeSignature[];
  /** Why its PE headers or signatures could not be read, or null. */
  unreadable: string | null;
  /** The signatures verified (with `verify`), or null; `verifyError` says why verifying stopped. */
  verification?: PeVerification | null;
  verifyError?: string | null;
}

/** Verify the loaders' signatures too: the hashers of the platform (node or WebAssembly), and options (UEFI firmware's date rule by default). */
export interface LoaderVerification {
  hashers: HasherFactory;
  options?: VerifyOptions;
}

/** Read the loaders in the tree's EFI/BOOT, else in each UEFI El Torito image's. */
export async function readEfiLoaders(
  src: ByteSource,
  tree: TreeReader<unknown> | null,
  bootEntries: readonly { index: number; platform: BootPlatform; lba: number }[],
  log: ProblemLog,
  verify?: LoaderVerification,
): Promise<EfiLoader[]> {
  const fromTree = tree ? await loadersIn(src, tree, 'tree', null, log, verify) : [];
  if (fromTree.length) return fromTree;
  const out: EfiLoader[] = [];
  for (const e of bootEntries.filter((b) => b.platform === 'uefi').slice(0, 4)) {
    const fat = await FatVolume.open(src, e.lba * ISO_SECTOR, log);
    if (fat) out.push(...(await loadersIn(src, fat, 'el-torito-image', e.index, log, verify)));
  }
  return out.slice(0, MAX_LOADERS);
}

async function loadersIn(
  src: ByteSource,
  tree: TreeReader<unknown>,
  foundIn: EfiLoader['foundIn'],
  bootEntry: number | null,
  log: ProblemLog,
  verify?: LoaderVerification,
): Promise<EfiLoader[]> {
  const entries = (await listDirectory(tree, 'efi/boot', log)) ?? [];
  const files = entries.filter((e) => !e.dir && LOADER_NAME.test(e.name)).slice(0, MAX_LOADERS);
  return Promise.all(
    files.map(async (entry): Promise<EfiLoader> => {
      const stat = entry.stat ?? (await tree.stat(entry, log));
      const file = fileData(src, stat, entry.name);
      const loader: EfiLoader = { path: entry.path, foundIn, bootEntry, size: stat.size, machine: null, signatures: [], unreadable: null };
      try {
        const header = await readPeHeader(file);
        loader.machine = header.machine;
        loader.signatures = (await readAuthenticode(file, header)).signatures;
        if (verify && loader.signatures.length) {
          try {
            loader.verification = await verifyPeSignatures(file, verify.hashers, { policy: 'uefi-firmware', header, ...verify.options });
          } catch (e) {
            // The signatures were read; only their check failed: say so on the loader, and log it where it is.
            if (!(e instanceof FormatError) || e instanceof BudgetExceeded) throw e;
            loader.verification = null;
            loader.verifyError = e.message;
            log.warn(
              e.code,
              `${entry.path}: its signatures could not be verified: ${e.message}`,
              e.structure,
              e.offset === null ? null : imageOffset(stat, e.offset),
            );
          }
        }
      } catch (e) {
        // A loader that cannot be read is the disc's problem for booting, not damage to what was identified: a warning.
        if (e instanceof FormatError && !(e instanceof BudgetExceeded)) {
          const said = e.message.startsWith(`${entry.name} `) ? e.message.slice(entry.name.length + 1) : e.message;
          loader.unreadable = said;
          log.warn(e.code, `${entry.path} ${said}`, e.structure, e.offset === null ? null : imageOffset(stat, e.offset));
        } else throw e;
      }
      return loader;
    }),
  );
}
