/**
 * Stage: the El Torito boot catalog (El Torito 1.0 §2), found through the
 * boot record descriptor; each entry's image size is taken from the FAT boot
 * sector at the image when the catalog says 0 or 1 sectors (as xorriso
 * reads it).
 */
import type { ByteSource } from '../../io/byte-source.ts';
import type { ProblemLog } from '../../io/problems.ts';
import { ISO_SECTOR } from '../../formats/iso9660/descriptors.ts';
import { emulationName, platformName, readBootCatalog } from '../../formats/iso9660/eltorito.ts';
import { readFatBootSector } from '../../formats/fat/fat.ts';
import type { BootEntry, BootInfo } from '../../report/types.ts';
import { guard, type InspectionContext } from '../context.ts';

export async function readBoot(ctx: InspectionContext): Promise<void> {
  const catalogLba = ctx.vds?.bootRecords.find((b) => b.elToritoCatalogLba !== null)?.elToritoCatalogLba ?? null;
  if (catalogLba === null) return;
  ctx.report.boot = await guard(ctx.log, 'El Torito boot catalog', catalogLba * ISO_SECTOR, () => bootInfo(ctx.src, catalogLba, ctx.log), null);
}

async function bootInfo(src: ByteSource, catalogLba: number, log: ProblemLog): Promise<BootInfo> {
  const cat = await readBootCatalog(src, catalogLba, log);
  const entries: BootEntry[] = [];
  for (const [i, e] of cat.entries.entries()) {
    const entry: BootEntry = {
      index: i + 1,
      platform: platformName(e.platformId),
      bootable: e.bootIndicator === 0x88,
      emulation: emulationName(e.mediaType),
      loadSegment: e.loadSegment,
      systemType: e.systemType,
      sectorCount: e.sectorCount,
      imageSectors: e.sectorCount,
      sizeFrom: 'catalog',
      lba: e.loadRba,
      path: null,
      sectionId: e.sectionId,
    };
    // An EFI system image's entry often says 0 or 1 sectors; its FAT boot sector knows the size (as xorriso reads it).
    if (e.sectorCount <= 1 && entry.emulation === 'none' && e.loadRba * ISO_SECTOR < src.size) {
      const fat = await readFatBootSector(src, e.loadRba * ISO_SECTOR);
      if (fat) {
        entry.imageSectors = Math.ceil(fat.bytes / 512);
        entry.sizeFrom = 'fat-boot-sector';
      }
    }
    entries.push(entry);
  }
  return {
    catalogLba,
    catalogPath: null,
    validation: { platform: platformName(cat.validation.platformId), idString: cat.validation.idString, checksumOk: cat.validation.checksumOk },
    entries,
  };
}
