/**
 * CUE sheets (CDRWIN's text format, as burners and rippers write it beside a
 * BIN): which files hold which tracks, each track's mode and where it starts.
 *
 *   FILE "disc.bin" BINARY
 *     TRACK 01 MODE1/2352
 *       INDEX 01 00:00:00        (minutes:seconds:frames, 75 frames a second)
 *     TRACK 02 AUDIO
 *       INDEX 00 58:12:40
 *       INDEX 01 58:14:40
 */
export type CueTrackType = 'AUDIO' | 'CDG' | 'MODE1/2048' | 'MODE1/2352' | 'MODE2/2048' | 'MODE2/2324' | 'MODE2/2336' | 'MODE2/2352' | 'CDI/2336' | 'CDI/2352';

const SECTOR_BYTES: Record<CueTrackType, number> = {
  AUDIO: 2352,
  CDG: 2448,
  'MODE1/2048': 2048,
  'MODE1/2352': 2352,
  'MODE2/2048': 2048,
  'MODE2/2324': 2324,
  'MODE2/2336': 2336,
  'MODE2/2352': 2352,
  'CDI/2336': 2336,
  'CDI/2352': 2352,
};

export interface CueTrack {
  number: number;
  type: CueTrackType;
  /** The FILE the track is in. */
  file: string;
  /** INDEX 01 in frames from the start of its file. */
  index1: number;
  /** Bytes per sector in the file. */
  sectorBytes: number;
  /** Where INDEX 01 lies in its file, in bytes. */
  byteStart: number;
  /** INDEX 00 (the pre-gap's start) in frames, when the sheet gives one. */
  index0: number | null;
  /** Where the track's area begins in its file: INDEX 00 if given, else INDEX 01 (bytes). */
  areaStart: number;
  audio: boolean;
}

export interface CueSheet {
  files: string[];
  tracks: CueTrack[];
  /** Lines that could not be read (kept so the report can say so). */
  problems: string[];
}

const MAX_LINES = 10_000;

function frames(msf: string): number | null {
  const m = msf.match(/^(\d{1,3}):(\d{2}):(\d{2})$/);
  if (!m) return null;
  const [mm, ss, ff] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return ss < 60 && ff < 75 ? (mm * 60 + ss) * 75 + ff : null;
}

export function parseCue(text: string): CueSheet {
  const sheet: CueSheet = { files: [], tracks: [], problems: [] };
  let file: string | null = null;
  let track: { number: number; type: CueTrackType } | null = null;
  let pendingIndex0: number | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.slice(0, MAX_LINES).entries()) {
    const line = raw.trim();
    if (!line || /^REM\b/i.test(line)) continue;
    const fileLine = line.match(/^FILE\s+(?:"([^"]*)"|(\S+))\s+(\S+)$/i);
    if (fileLine) {
      file = fileLine[1] ?? fileLine[2]!;
      sheet.files.push(file);
      track = null;
      continue;
    }
    const trackLine = line.match(/^TRACK\s+(\d{1,2})\s+(\S+)$/i);
    if (trackLine) {
      const type = trackLine[2]!.toUpperCase() as CueTrackType;
      if (!(type in SECTOR_BYTES) || file === null) {
        sheet.problems.push(`line ${i + 1}: ${line}`);
        track = null;
      } else track = { number: Number(trackLine[1]), type };
      pendingIndex0 = null;
      continue;
    }
    const index = line.match(/^INDEX\s+(\d{1,2})\s+(\S+)$/i);
    if (index && Number(index[1]) === 0 && track) pendingIndex0 = frames(index[2]!);
    if (index && Number(index[1]) === 1 && track && file !== null) {
      const at = frames(index[2]!);
      if (at === null) {
        sheet.problems.push(`line ${i + 1}: ${line}`);
        continue;
      }
      sheet.tracks.push({
        ...track,
        file,
        index1: at,
        index0: pendingIndex0,
        sectorBytes: SECTOR_BYTES[track.type],
        byteStart: 0,
        areaStart: 0,
        audio: track.type === 'AUDIO' || track.type === 'CDG',
      });
      pendingIndex0 = null;
    }
  }
  // Byte positions: within one file, each track's sectors follow the previous track's (whose size may differ).
  for (const f of sheet.files) {
    let prev: CueTrack | null = null;
    for (const t of sheet.tracks.filter((x) => x.file === f)) {
      t.byteStart = prev ? prev.byteStart + (t.index1 - prev.index1) * prev.sectorBytes : t.index1 * t.sectorBytes;
      // A pre-gap recorded in the file (INDEX 00) is the previous track's sector size until INDEX 01.
      t.areaStart = t.index0 !== null && prev ? prev.byteStart + (t.index0 - prev.index1) * prev.sectorBytes : t.byteStart;
      prev = t;
    }
  }
  return sheet;
}
