/** The report as Markdown / plain text, for pasting into a ticket or a forum post. */
import type { Report } from '../../workers/report/types.ts';
import { fmtBytes } from './format.ts';
import {
  bootSummary,
  damage,
  readiness,
  useVerdicts,
  windowsSummary,
  fileSystemNames,
  headline,
  headlineSource,
  installImageLine,
  signalMark,
  volumeSizeLine,
} from '../../workers/report/describe.ts';

export function reportToMarkdown(r: Report): string {
  const out: string[] = [`# ${r.file.name}`, '', `${fmtBytes(r.file.size)} (${r.file.size} bytes)`, ''];
  const cut = damage(r);
  if (cut) out.push(`> **${cut.plain}**`, `> ${cut.technical}`, '');
  const what = headline(r);
  if (what && !r.windows) out.push(`**${what}**${headlineSource(r) ? ` (from ${headlineSource(r)})` : ''}`, '');
  const w = r.windows;
  if (w) {
    out.push('## Windows', '', `**${windowsSummary(w)}**`, '');
    if (w.lifecycle) out.push(`${w.lifecycle.statement} (source: ${w.lifecycle.source})`, '');
    if (w.buildNote) out.push(w.buildNote, '');
    out.push('| # | Name | Edition | Arch | Version | Languages |', '|---|---|---|---|---|---|');
    for (const i of w.images)
      out.push(`| ${i.index} | ${i.displayName ?? i.name ?? ''} | ${i.editionId ?? ''} | ${i.arch ?? ''} | ${i.version ?? ''} | ${i.languages.join(' ')} |`);
    out.push('', `Install image: ${installImageLine(w)}${w.setupVersion ? `; setup.exe ${w.setupVersion}` : ''}`, '');
  }
  const ready = readiness(r);
  const uses = cut ? [] : useVerdicts(r);
  if (ready.length || uses.length)
    out.push('## Ready to use?', '', ...uses.map((u) => `- **${u.label}: ${u.short}.** ${u.why}`), ...ready.map((l) => `- ${l}`), '');
  const pv = r.provenance;
  if (pv) {
    out.push('## Genuine?', '', `**${pv.summary}**`, '', `- Size: ${pv.size.statement}`);
    if (pv.match) out.push(`- Hash: ${pv.match.statement}`);
    for (const s of pv.signals) out.push(`- ${signalMark(s)} ${s.title} — seen: ${s.saw}; Microsoft's media: ${s.microsoft} (${s.strength})`);
    out.push(
      '',
      `_Catalogue of ${pv.catalogue.releases} releases as public sources list them (${pv.catalogue.built}); a release missing from it is unknown, not fake._`,
      '',
    );
  }
  out.push(...signaturesMarkdown(r));
  if (r.volume) {
    const v = r.volume;
    out.push('## Volume', '', `- Label: \`${v.label}\``, `- Size: ${volumeSizeLine(v)}`);
    for (const [k, val] of [
      ['System', v.systemId],
      ['Publisher', v.publisherId],
      ['Preparer', v.preparerId],
      ['Application', v.applicationId],
      ['Created', v.created],
      ['Modified', v.modified],
    ] as const) {
      if (val) out.push(`- ${k}: ${val}`);
    }
    out.push('');
  }
  out.push('## File systems', '', fileSystemNames(r).join(', ') || 'none recognised', '');
  if (r.boot) {
    out.push(`## Boot (El Torito): ${bootSummary(r)}`, '', '| # | Platform | Emulation | LBA | Sectors | File |', '|---|---|---|---|---|---|');
    for (const e of r.boot.entries) out.push(`| ${e.index} | ${e.platform} | ${e.emulation} | ${e.lba} | ${e.imageSectors} | ${e.path ?? ''} |`);
    out.push('');
  }
  if (r.partitions.scheme) {
    out.push(`## Partitions (${r.partitions.scheme})`, '', '| # | Type | Start | Sectors |', '|---|---|---|---|');
    for (const p of r.partitions.entries) out.push(`| ${p.index} | ${p.typeName} (${p.type}) | ${p.start} | ${p.count} |`);
    out.push('');
  }
  if (r.hashes) {
    out.push('## Hashes', '');
    for (const [a, h] of Object.entries(r.hashes)) out.push(`- ${a.toUpperCase()}: \`${h}\``);
    out.push('');
  }
  if (r.errors.length || r.warnings.length) {
    out.push('## Problems', '');
    for (const p of [...r.errors, ...r.warnings]) out.push(`- ${p.code}: ${p.message}`);
    out.push('');
  }
  out.push(`_Inspected by isoscope ${r.tool.version}: read ${fmtBytes(r.stats.bytesRead)} in ${r.stats.reads} reads._`, '');
  return out.join('\n');
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Files listed per edition in the Markdown (the JSON carries the report's whole bounded list). */
const MARKDOWN_FILES_LISTED = 20;

/** The verified signatures: the disc's own files, and each edition checked in full, with the files not signed by Microsoft. */
function signaturesMarkdown(r: Report): string[] {
  const s = r.signatures;
  if (!s?.disc && !s?.editions?.length) return [];
  const out = ['## Signatures', ''];
  if (s.disc) out.push(`- Disc files: ${s.disc.words}`);
  for (const e of s.editions ?? []) {
    out.push(`- Edition ${e.image ?? '?'}${e.label ? ` (${e.label})` : ''}: ${e.words}`);
    for (const f of e.files.slice(0, MARKDOWN_FILES_LISTED)) out.push(`  - \`${f.path}\`: ${f.words}`);
    const more = e.files.length - MARKDOWN_FILES_LISTED + e.filesOmitted;
    if (more > 0) out.push(`  - and ${more} more`);
  }
  const note = s.editions?.[0]?.note;
  out.push('', ...(note ? [`_${note}_`, ''] : []));
  return out;
}
