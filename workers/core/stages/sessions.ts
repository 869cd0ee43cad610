/**
 * Stage 2: which session of a multi-session disc to read. By default the
 * last, as operating systems read it (`--session N` asks for another); its
 * own volume descriptors then describe the disc.
 */
import { ISO_SECTOR, readVolumeDescriptorSet, type VolumeDescriptorSet } from '../../formats/iso9660/descriptors.ts';
import { findSessions } from '../../formats/iso9660/sessions.ts';
import { guard, type InspectionContext } from '../context.ts';

export async function chooseSession(ctx: InspectionContext): Promise<void> {
  const { log, report, options } = ctx;
  report.partitions = ctx.partitions;
  const pvd = ctx.vds?.primary;
  // Only an image that runs on past its volume's end can hold a later session.
  if (!pvd || (options.session === undefined && pvd.volumeSpaceSize * pvd.logicalBlockSize >= ctx.src.size)) return;
  const sessions = await guard(log, 'sessions', 16 * ISO_SECTOR, () => findSessions(ctx.src), []);
  if (sessions.length <= 1 && (options.session === undefined || sessions.length === 0)) return;
  const chosen = sessions[(options.session ?? sessions.length) - 1];
  if (!chosen) {
    log.error('SESSION_NOT_FOUND', `session ${options.session} was asked for; the disc has ${sessions.length}`, 'sessions', null);
    return;
  }
  report.sessions = { list: sessions, read: chosen.number };
  ctx.sessionStart = chosen.start;
  // The set at 16 is the first session's (or, written by xorriso, a copy of the newest): read the chosen one's own.
  if (chosen.start !== 0)
    ctx.vds = await guard<VolumeDescriptorSet | null>(
      log,
      'volume descriptor set',
      (chosen.start + 16) * ISO_SECTOR,
      () => readVolumeDescriptorSet(ctx.src, log, chosen.start + 16),
      null,
    );
}
