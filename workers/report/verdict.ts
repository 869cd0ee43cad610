/**
 * The provenance section's one-line verdict (provenance.ts) and the merge of
 * the signals read later from inside the install image: kept apart from
 * provenance.ts so the page can merge without loading the catalogue.
 */
import type { Provenance, ProvenanceSignal } from './types.ts';

/** One line: the strongest thing that can honestly be said. */
export function summarize(p: Omit<Provenance, 'summary'>): string {
  if (p.match?.verdict === 'identical') return p.match.statement;
  const strong = p.signals.filter((s) => s.strength === 'strong' && s.verdict !== 'consistent');
  const words = [
    ...new Set(
      strong.map((s) =>
        s.verdict === 'rebuilt'
          ? 'rebuilt by another tool'
          : s.id === 'wim-drivers'
            ? 'drivers added'
            : s.verdict === 'added'
              ? 'files added'
              : s.id === 'build' || s.id === 'wim-updates'
                ? 'updates integrated'
                : 'altered',
      ),
    ),
  ];
  if (strong.length) return `Not as Microsoft shipped it: ${words.join(', ')} (${strong.length} sign${strong.length === 1 ? '' : 's'})`;
  if (p.match) return p.match.statement;
  if (p.size.verdict === 'candidate') return p.size.statement;
  if (p.size.verdict === 'not-a-release-file') return 'Install files copied to a disk volume: the headers show nothing altered, and no hash can confirm a copy';
  const seen = p.inside ? `the headers and the install image's ${p.inside.images === 1 ? 'image' : `${p.inside.images} images`} show` : 'the headers show';
  return `Consistent with Microsoft's own media in what ${seen}; ${p.size.verdict === 'no-release-of-this-size' ? p.size.statement : 'no catalogued release has this size'}`;
}

/** The same section with the signals from inside the install image (read after the first answer), replacing any earlier ones. */
export function withInside(p: Provenance, inside: ProvenanceSignal[], images: number): Provenance {
  const body = { ...p, signals: [...p.signals.filter((s) => !s.id.startsWith('wim-')), ...inside], inside: { images } };
  return { ...body, summary: summarize(body) };
}
