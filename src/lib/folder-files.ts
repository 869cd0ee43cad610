/**
 * The files of a folder the user gives, however it is given: the directory
 * picker (File System Access), an `<input webkitdirectory>` (every browser),
 * or a folder dropped on the page (DataTransferItem.webkitGetAsEntry). Only
 * files are returned, with their path inside the folder; the walk is bounded.
 */

export interface FolderFile {
  /** Path inside the chosen folder, "/" separated, without the folder's own name. */
  path: string;
  file: File;
}

/** A folder of more files than this is read up to here (the table says so). */
export const MAX_FOLDER_FILES = 20_000;
const MAX_DEPTH = 32;

/** From `<input webkitdirectory>`: every File carries its relative path, folder name first. */
export function filesFromInput(list: FileList | null | undefined): { name: string; files: FolderFile[] } {
  const all = [...(list ?? [])].slice(0, MAX_FOLDER_FILES);
  const first = all[0]?.webkitRelativePath ?? '';
  const name = first.includes('/') ? first.slice(0, first.indexOf('/')) : 'folder';
  return { name, files: all.map((file) => ({ path: file.webkitRelativePath.replace(/^[^/]*\//, '') || file.name, file })) };
}

/** From the directory picker, where the browser has one (null when it has not, or the user cancelled). */
export async function filesFromPicker(): Promise<{ name: string; files: FolderFile[] } | null> {
  const picker = window.showDirectoryPicker;
  if (!picker) return null;
  let root: PickedDirectoryHandle;
  try {
    root = await picker();
  } catch {
    return null;
  }
  const files: FolderFile[] = [];
  const walk = async (dir: PickedDirectoryHandle, prefix: string, depth: number): Promise<void> => {
    for await (const h of dir.values()) {
      if (files.length >= MAX_FOLDER_FILES) return;
      if (h.kind === 'file') files.push({ path: prefix + h.name, file: await h.getFile() });
      else if (depth < MAX_DEPTH) await walk(h, `${prefix}${h.name}/`, depth + 1);
    }
  };
  await walk(root, '', 0);
  return { name: root.name, files };
}

/** A drop holds a folder when one of its items is a directory entry. */
export function droppedFolder(dt: DataTransfer | null | undefined): FileSystemDirectoryEntry | null {
  for (const item of [...(dt?.items ?? [])]) {
    const entry = item.webkitGetAsEntry?.();
    if (entry?.isDirectory) return entry as FileSystemDirectoryEntry;
  }
  return null;
}

/** Every file under a dropped directory entry. */
export async function filesFromEntry(root: FileSystemDirectoryEntry): Promise<{ name: string; files: FolderFile[] }> {
  const files: FolderFile[] = [];
  const readAll = (dir: FileSystemDirectoryEntry) =>
    new Promise<FileSystemEntry[]>((resolve, reject) => {
      const reader = dir.createReader();
      const out: FileSystemEntry[] = [];
      // readEntries gives a batch at a time (100 in Chromium) until an empty one.
      const next = () => reader.readEntries((batch) => (batch.length && out.length < MAX_FOLDER_FILES ? (out.push(...batch), next()) : resolve(out)), reject);
      next();
    });
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string, depth: number): Promise<void> => {
    for (const e of await readAll(dir)) {
      if (files.length >= MAX_FOLDER_FILES) return;
      if (e.isFile) files.push({ path: prefix + e.name, file: await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej)) });
      else if (e.isDirectory && depth < MAX_DEPTH) await walk(e as FileSystemDirectoryEntry, `${prefix}${e.name}/`, depth + 1);
    }
  };
  await walk(root, '', 0);
  return { name: root.name, files };
}
