/**
 * Support dates for Windows releases, each row with its public source. A
 * release not in this table shows nothing rather than a guess.
 *
 * Dates are Microsoft's (Pacific time, the last day of support), read from:
 *   [L] MicrosoftDocs/lifecycle-data-pr.de-de @ 7c7962d883808160d7f894eb959e70947cc28e6c,
 *       lifecycle-data/products/<slug>.yml (supportDates and releases; the
 *       data behind https://learn.microsoft.com/lifecycle/products/<slug>)
 *   [D] altrhombus/DataForGeeks @ 6846a6a054aee7073d863832c23966ebffe7e666,
 *       content/ms/mswin/lifecycle-client.json and lifecycle-server.json,
 *       scraped from the same learn.microsoft.com pages; it stores UTC dates,
 *       one day after Microsoft's Pacific ones, so one day is taken off here
 *       (checked against [L] on every row the two share).
 * The row's `source` is the Microsoft page a user can open.
 */
import type { WindowsProduct } from './product.ts';

export interface LifecycleEntry {
  /** The release as Microsoft's lifecycle page names it. */
  release: string;
  /** Fixed policy: mainstream then extended support. Modern policy: one servicing end date (in `extendedEnd`). */
  policy: 'fixed' | 'modern';
  mainstreamEnd: string | null;
  extendedEnd: string;
  /** Paid Extended Security Updates, where Microsoft offered them. */
  esuEnd: string | null;
  esuNote?: string;
  source: string;
}

export interface Lifecycle extends LifecycleEntry {
  /** Given `today`: does this release still get security updates? */
  status: 'supported' | 'extended-only' | 'esu-only' | 'unsupported';
  statement: string;
}

const page = (slug: string) => `https://learn.microsoft.com/lifecycle/products/${slug}`;

const fixed = (
  release: string,
  mainstreamEnd: string | null,
  extendedEnd: string,
  slug: string,
  esuEnd: string | null = null,
  esuNote?: string,
): LifecycleEntry => ({
  release,
  policy: 'fixed',
  mainstreamEnd,
  extendedEnd,
  esuEnd,
  ...(esuNote ? { esuNote } : {}),
  source: page(slug),
});
const modern = (release: string, end: string, slug: string): LifecycleEntry => ({
  release,
  policy: 'modern',
  mainstreamEnd: null,
  extendedEnd: end,
  esuEnd: null,
  source: page(slug),
});

/** Fixed-policy releases by product name ([L], Server 2025 from [D]). */
const BY_NAME: Record<string, LifecycleEntry> = {
  'Windows Vista': fixed('Windows Vista', '2012-04-10', '2017-04-11', 'windows-vista'),
  'Windows 7': fixed('Windows 7', '2015-01-13', '2020-01-14', 'windows-7', '2023-01-10'),
  'Windows 8': fixed('Windows 8', null, '2016-01-12', 'windows-8'),
  'Windows 8.1': fixed('Windows 8.1', '2018-01-09', '2023-01-10', 'windows-81'),
  'Windows Server 2008': fixed('Windows Server 2008', '2015-01-13', '2020-01-14', 'windows-server-2008', '2024-01-09', 'the last year on Azure only'),
  'Windows Server 2008 R2': fixed('Windows Server 2008 R2', '2015-01-13', '2020-01-14', 'windows-server-2008-r2', '2024-01-09', 'the last year on Azure only'),
  'Windows Server 2012': fixed('Windows Server 2012', '2018-10-09', '2023-10-10', 'windows-server-2012', '2026-10-13'),
  'Windows Server 2012 R2': fixed('Windows Server 2012 R2', '2018-10-09', '2023-10-10', 'windows-server-2012-r2', '2026-10-13'),
  'Windows Server 2016': fixed('Windows Server 2016', '2022-01-11', '2027-01-12', 'windows-server-2016'),
  'Windows Server 2019': fixed('Windows Server 2019', '2024-01-09', '2029-01-09', 'windows-server-2019'),
  'Windows Server 2022': fixed('Windows Server 2022', '2026-10-13', '2031-10-14', 'windows-server-2022'),
  'Windows Server 2025': fixed('Windows Server 2025', '2029-11-13', '2034-11-14', 'windows-server-2025'),
  'Windows 10 Enterprise 2015 LTSB': fixed('Windows 10 Enterprise 2015 LTSB', '2020-10-13', '2025-10-14', 'windows-10-2015-ltsb'),
  'Windows 10 IoT Enterprise 2015 LTSB': fixed('Windows 10 IoT Enterprise LTSB 2015', '2020-10-13', '2025-10-14', 'windows-10-iot-enterprise-ltsb-2015'),
  'Windows 10 Enterprise 2016 LTSB': fixed('Windows 10 Enterprise 2016 LTSB', '2021-10-12', '2026-10-13', 'windows-10-2016-ltsb'),
  'Windows 10 IoT Enterprise 2016 LTSB': fixed('Windows 10 IoT Enterprise LTSB 2016', '2021-10-12', '2026-10-13', 'windows-10-iot-enterprise-ltsb-2016'),
  'Windows 10 Enterprise LTSC 2019': fixed('Windows 10 Enterprise LTSC 2019', '2024-01-09', '2029-01-09', 'windows-10-enterprise-ltsc-2019'),
  'Windows 10 IoT Enterprise LTSC 2019': fixed('Windows 10 IoT Enterprise LTSC 2019', '2024-01-09', '2029-01-09', 'windows-10-iot-enterprise-ltsc-2019'),
  // LTSC 2021 has five years and no extended phase; IoT keeps ten.
  'Windows 10 Enterprise LTSC 2021': fixed('Windows 10 Enterprise LTSC 2021', null, '2027-01-12', 'windows-10-enterprise-ltsc-2021'),
  'Windows 10 IoT Enterprise LTSC 2021': fixed('Windows 10 IoT Enterprise LTSC 2021', '2027-01-12', '2032-01-13', 'windows-10-iot-enterprise-ltsc-2021'),
};

/** Windows 10 feature updates: end of servicing, [Home and Pro, Enterprise and Education] ([L]; 22H2 from [D]). */
const WIN10: Record<string, [string, string]> = {
  '1507': ['2017-05-09', '2017-05-09'],
  '1511': ['2017-10-10', '2017-10-10'],
  '1607': ['2018-04-10', '2019-04-09'],
  '1703': ['2018-10-09', '2019-10-08'],
  '1709': ['2019-04-09', '2020-10-13'],
  '1803': ['2019-11-12', '2021-05-11'],
  '1809': ['2020-11-10', '2021-05-11'],
  '1903': ['2020-12-08', '2020-12-08'],
  '1909': ['2021-05-11', '2022-05-10'],
  '2004': ['2021-12-14', '2021-12-14'],
  '20H2': ['2022-05-10', '2023-05-09'],
  '21H1': ['2022-12-13', '2022-12-13'],
  '21H2': ['2023-06-13', '2024-06-11'],
  '22H2': ['2025-10-14', '2025-10-14'],
};
/** Windows 11 feature updates, likewise ([L] for 21H2; [D] for the rest). */
const WIN11: Record<string, [string, string]> = {
  '21H2': ['2023-10-10', '2024-10-08'],
  '22H2': ['2024-10-08', '2025-10-14'],
  '23H2': ['2025-11-11', '2026-11-10'],
  '24H2': ['2026-10-13', '2027-10-12'],
  '25H2': ['2027-10-12', '2028-10-10'],
  '26H1': ['2028-03-14', '2029-03-13'],
};

/** The lifecycle row of a product, or null when the table has none. */
function lifecycleEntry(p: WindowsProduct): LifecycleEntry | null {
  const named = BY_NAME[p.name];
  if (named) return named;
  if ((p.name === 'Windows 10' || p.name === 'Windows 11') && p.version && (p.editionClass === 'home-pro' || p.editionClass === 'enterprise-education')) {
    const row = (p.name === 'Windows 10' ? WIN10 : WIN11)[p.version];
    if (!row) return null;
    const home = p.editionClass === 'home-pro';
    const cls = home ? 'Home and Pro' : 'Enterprise and Education';
    const slug = `${p.name === 'Windows 10' ? 'windows-10' : 'windows-11'}-${home ? 'home-and-pro' : 'enterprise-and-education'}`;
    return modern(`${p.name} ${cls}, version ${p.version}`, row[home ? 0 : 1], slug);
  }
  return null;
}

export function lifecycleFor(p: WindowsProduct | null, today: string): Lifecycle | null {
  const e = p ? lifecycleEntry(p) : null;
  if (!e) return null;
  let status: Lifecycle['status'];
  let statement: string;
  if (e.policy === 'modern') {
    status = today <= e.extendedEnd ? 'supported' : 'unsupported';
    statement =
      status === 'supported'
        ? `${e.release} gets updates until ${e.extendedEnd}.`
        : `${e.release} gets no security updates: its servicing ended ${e.extendedEnd}.`;
  } else if (e.mainstreamEnd && today <= e.mainstreamEnd) {
    status = 'supported';
    statement = `${e.release} is in mainstream support until ${e.mainstreamEnd}, then gets security updates until ${e.extendedEnd}.`;
  } else if (today <= e.extendedEnd) {
    status = e.mainstreamEnd ? 'extended-only' : 'supported';
    statement = e.mainstreamEnd ? `${e.release} gets security updates only, until ${e.extendedEnd}.` : `${e.release} is supported until ${e.extendedEnd}.`;
  } else if (e.esuEnd && today <= e.esuEnd) {
    status = 'esu-only';
    statement = `${e.release}: support ended ${e.extendedEnd}; security updates only through paid ESU, until ${e.esuEnd}${e.esuNote ? ` (${e.esuNote})` : ''}.`;
  } else {
    status = 'unsupported';
    statement = `${e.release} gets no security updates: support ended ${e.extendedEnd}${e.esuEnd ? ` and paid ESU ended ${e.esuEnd}` : ''}.`;
  }
  return { ...e, status, statement };
}
