/**
 * Support dates for Windows releases, each with its public source. A release
 * not in this table shows nothing rather than a guess.
 */

export interface LifecycleEntry {
  release: string;
  mainstreamEnd: string | null;
  extendedEnd: string;
  /** Paid Extended Security Updates, where Microsoft offered them. */
  esuEnd: string | null;
  source: string;
}

export interface Lifecycle extends LifecycleEntry {
  /** Given `today`: does this release still get security updates? */
  status: 'supported' | 'extended-only' | 'esu-only' | 'unsupported';
  statement: string;
}

const TABLE: { match: (major: number, minor: number, build: number) => boolean; entry: LifecycleEntry }[] = [
  {
    match: (ma, mi) => ma === 6 && mi === 0,
    entry: { release: 'Windows Vista', mainstreamEnd: '2012-04-10', extendedEnd: '2017-04-11', esuEnd: null, source: 'https://learn.microsoft.com/lifecycle/products/windows-vista' },
  },
  {
    match: (ma, mi) => ma === 6 && mi === 1,
    entry: { release: 'Windows 7', mainstreamEnd: '2015-01-13', extendedEnd: '2020-01-14', esuEnd: '2023-01-10', source: 'https://learn.microsoft.com/lifecycle/products/windows-7' },
  },
  {
    match: (ma, mi) => ma === 6 && mi === 3,
    entry: { release: 'Windows 8.1', mainstreamEnd: '2018-01-09', extendedEnd: '2023-01-10', esuEnd: null, source: 'https://learn.microsoft.com/lifecycle/products/windows-81' },
  },
  {
    match: (ma, mi, b) => ma === 10 && mi === 0 && b >= 10240 && b < 22000,
    entry: { release: 'Windows 10', mainstreamEnd: null, extendedEnd: '2025-10-14', esuEnd: null, source: 'https://learn.microsoft.com/lifecycle/products/windows-10-home-and-pro' },
  },
];

export function lifecycleFor(major: number | null, minor: number | null, build: number | null, today: string): Lifecycle | null {
  if (major === null || minor === null) return null;
  const row = TABLE.find((r) => r.match(major, minor, build ?? 0));
  if (!row) return null;
  const e = row.entry;
  let status: Lifecycle['status'];
  let statement: string;
  if (e.mainstreamEnd && today < e.mainstreamEnd) {
    status = 'supported';
    statement = `${e.release} is in mainstream support until ${e.mainstreamEnd}.`;
  } else if (today < e.extendedEnd) {
    status = 'extended-only';
    statement = `${e.release} gets security updates only, until ${e.extendedEnd}.`;
  } else if (e.esuEnd && today < e.esuEnd) {
    status = 'esu-only';
    statement = `${e.release}: support ended ${e.extendedEnd}; security updates only through paid ESU, until ${e.esuEnd}.`;
  } else {
    status = 'unsupported';
    statement = `${e.release} gets no security updates: support ended ${e.extendedEnd}${e.esuEnd ? ` and paid ESU ended ${e.esuEnd}` : ''}.`;
  }
  return { ...e, status, statement };
}
