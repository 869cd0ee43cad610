/** The human summary the CLI prints without --json: a glance, not a dump. */
import type { Report } from '../report/types.ts';
import { formatBytes as bytes } from '../report/format.ts';
import { describeVolume } from '../report/volume-info.ts';
import { describeSectors } from '../report/format.ts';
import {
  bootSummary,
  bootWimLine,
  damage,
  eiCfgLine,
  fileSystemNames,
  headline,
  windowsSummary,
  headlineSource,
  installImageLine,
  labelSaysLine,
  readiness,
  signatureLine,
  sessionsLine,
  signalMark,
  volumeSizeLine,
} from '../report/describe.ts';

export function formatSummary(r: Report, opts: { files: boolean }): string {
  const lines: string[] = [];
  const row = (k: string, v: string | number | null | undefined) => {
    if (v !== null && v !== undefined && v !== '') lines.push(`${(k + ':').padEnd(14)}${v}`);
  };
  lines.push(`${r.file.name}  (${bytes(r.file.size)})`);
  const cut = damage(r);
  if (cut) lines.push(`INCOMPLETE:   ${cut.plain}`);
  const w = r.windows;
  if (!w) row('This is', headline(r) && `${headline(r)}${headlineSource(r) ? `  (from ${headlineSource(r)})` : ''}`);
  if (w) {
    lines.push(`Windows:      ${windowsSummary(w)}`);
    if (w.lifecycle) lines.push(`Support:      ${w.lifecycle.statement} (source: ${w.lifecycle.source})`);
    if (w.buildNote) lines.push(`Build:        ${w.buildNote}`);
    lines.push(`Image:        ${installImageLine(w)}`);
    for (const i of w.images) {
      lines.push(`  #${i.index}  ${i.displayName ?? i.name ?? '?'}  [${[i.editionId, i.arch, i.version, i.languages.join(' ')].filter(Boolean).join(', ')}]`);
    }
    if (w.setupVersion) row('setup.exe', w.setupVersion);
    row('ei.cfg', eiCfgLine(w));
    if (w.pidTxt) row('pid.txt', 'present (product key not shown)');
    row('boot.wim', bootWimLine(w));
    row('Label says', labelSaysLine(w));
  }
  const ready = readiness(r);
  if (ready.length) {
    lines.push(`Ready to use? ${ready[0]}`);
    for (const l of ready.slice(1)) lines.push(`              ${l}`);
  }
  const pv = r.provenance;
  if (pv) {
    lines.push(`Genuine?      ${pv.summary}`);
    if (pv.size.verdict !== 'unknown' || !pv.match) lines.push(`  size        ${pv.size.statement}`);
    if (pv.match) lines.push(`  hash        ${pv.match.statement}`);
    else if (pv.toConfirm.length)
      lines.push(
        `  to confirm  isoscope ${r.file.name} --confirm  (hashes ${pv.toConfirm.map((a) => a.toUpperCase()).join(', ')}, the catalogue's algorithms for it)`,
      );
    for (const s of pv.signals) lines.push(`  ${signalMark(s)} ${s.title}`);
  }
  if (r.volume) {
    const v = r.volume;
    const joliet = r.filesystems.joliet;
    row('Label', `${v.label || '(none)'}${joliet && joliet.label !== v.label ? `  (Joliet: ${joliet.label})` : ''}`);
    row('Volume', volumeSizeLine(v));
    row('System', v.systemId);
    row('Publisher', v.publisherId);
    row('Preparer', v.preparerId);
    row('Application', v.applicationId);
    row('Created', v.created);
    row('Modified', v.modified);
  }
  if (r.sessions) {
    row('Sessions', sessionsLine(r));
    for (const x of r.sessions.list) lines.push(`  session ${x.number}  from sector ${x.start}  "${x.volumeId}"  ${x.volumeBlocks} blocks`);
  }
  const sec = r.sectors;
  if (sec) {
    row('Sectors', describeSectors(sec));
    for (const t of sec.tracks) lines.push(`  track ${String(t.number).padStart(2, '0')}  ${t.type.padEnd(10)} ${t.file} @ ${t.byteStart}`);
  }
  if (r.kind !== 'audio-cd') row('File systems', fileSystemNames(r).join(', ') || 'none recognised');
  row('Boots', r.boot ? bootSummary(r) : null);
  if (r.boot) {
    row('Boot catalog', `sector ${r.boot.catalogLba}${r.boot.catalogPath ? ` (${r.boot.catalogPath})` : ''}`);
    for (const e of r.boot.entries) {
      const size = e.sizeFrom === 'catalog' ? `${e.sectorCount} sectors` : `${e.imageSectors} sectors (from FAT; catalog says ${e.sectorCount})`;
      lines.push(
        `  boot #${e.index}  ${e.platform.toUpperCase().padEnd(5)} ${e.bootable ? 'bootable' : 'not bootable'}, ${e.emulation} emulation, LBA ${e.lba}, ${size}${e.path ? `, ${e.path}` : ''}`,
      );
    }
  } else if (r.filesystems.iso9660 || r.filesystems.udf) {
    row('Boot', bootSummary(r));
  }
  const volumeOf = (index: number) => {
    const v = r.volumes.find((x) => x.partition === index);
    return v ? `: ${describeVolume(v)}` : '';
  };
  if (r.partitions.scheme) {
    row('Partitions', r.partitions.scheme.toUpperCase());
    for (const p of r.partitions.entries) {
      lines.push(
        `  #${p.index}  ${p.type}  ${p.typeName}${p.name ? ` "${p.name}"` : ''}  start ${p.start}, ${p.count} × 512 B${p.bootable ? ', bootable' : ''}${volumeOf(p.index)}`,
      );
    }
  }
  if (r.partitions.apm) {
    row('Apple map', `${r.partitions.apm.entries.length} entries, ${r.partitions.apm.blockSize}-byte blocks`);
    for (const p of r.partitions.apm.entries) lines.push(`  #${p.index}  ${p.type}  "${p.name}"  start ${p.start}, ${p.count} blocks`);
  }
  if (opts.files && r.files) {
    lines.push(`Files (${r.files.length}, from ${r.filesFrom}):`);
    for (const f of r.files)
      lines.push(
        `  ${f.dir ? 'd' : '-'} ${String(f.size).padStart(12)}  ${f.path}${f.dir ? '/' : ''}${f.compressed ? `  (${f.compressed}, ${f.storedSize} bytes stored)` : ''}`,
      );
  }
  if (r.hashes) {
    for (const [a, h] of Object.entries(r.hashes)) lines.push(`${(a.toUpperCase() + ':').padEnd(14)}${h}`);
    if (r.stats.hashMs !== undefined)
      lines.push(
        `${'Hashed:'.padEnd(14)}${bytes(r.stats.hashBytes ?? 0)} in ${(r.stats.hashMs / 1000).toFixed(2)} s (${((r.stats.hashBytes ?? 0) / 1e6 / Math.max(r.stats.hashMs / 1000, 0.001)).toFixed(0)} MB/s)`,
      );
  }
  const v = r.verification;
  if (v) {
    const verdict = v.verdict === 'match' ? 'MATCH' : v.verdict === 'mismatch' ? 'MISMATCH' : 'NOT IN LIST';
    lines.push(
      `${'Check:'.padEnd(14)}${verdict}${v.algorithm ? ` (${v.algorithm}${v.entryName ? `, entry "${v.entryName}"` : ''}, from ${v.source})` : ` (no entry for ${r.file.name} in ${v.source})`}`,
    );
    if (v.signature) {
      const said = signatureLine(v.signature);
      lines.push(`${'Signed list:'.padEnd(14)}${said.text} (${v.signature.file})`);
    }
    if (v.expected) lines.push(`  expected    ${v.expected}`);
    if (v.actual) lines.push(`  computed    ${v.actual}`);
  }
  const wi = r.wimIntegrity;
  if (wi) {
    lines.push(
      `${'WIM check:'.padEnd(14)}${wi.ok ? `intact: ${wi.chunks} chunk${wi.chunks === 1 ? '' : 's'} of ${bytes(wi.chunkSize)} ${wi.chunks === 1 ? 'matches' : 'match'} the integrity table` : `DAMAGED: chunk ${wi.firstBad!.chunk} (bytes from ${wi.firstBad!.offset} of ${wi.imageFile}) does not match`}`,
    );
  }
  const ws = r.wimStreams;
  if (ws)
    lines.push(
      `${'WIM streams:'.padEnd(14)}${
        ws.ok
          ? `intact: all ${ws.blobs} streams (${bytes(ws.bytes)}) match their SHA-1`
          : `DAMAGED: ${ws.damaged.length} stream${ws.damaged.length === 1 ? '' : 's'} of ${ws.blobs} do not match (${
              ws.damaged
                .flatMap((d) => d.paths)
                .slice(0, 5)
                .join(', ') || 'no file uses them'
            })`
      }`,
    );
  for (const w of r.warnings) lines.push(`warning: ${w.message} [${w.code}${w.offset !== null ? ` @${w.offset}` : ''}]`);
  for (const e of r.errors) lines.push(`error: ${e.message} [${e.code}${e.offset !== null ? ` @${e.offset}` : ''}]`);
  lines.push(`Read ${bytes(r.stats.bytesRead)} in ${r.stats.reads} reads, ${r.stats.ms} ms`);
  return lines.join('\n') + '\n';
}
