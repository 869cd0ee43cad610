/**
 * Browser APIs the app uses where they exist and TypeScript's DOM library does
 * not declare (Chromium-only, or still drafts). Each is optional: the code
 * checks for it and falls back (a download, an <input type=file>).
 */

/** A file handed to an installed PWA by the OS ("Open with"): WICG File Handling. */
interface LaunchParams {
  readonly files: readonly { getFile(): Promise<File> }[];
}

/** A directory or file the user picked: WICG File System Access (only what the folder scan reads). */
interface PickedFileHandle {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
}
interface PickedDirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  values(): AsyncIterable<PickedFileHandle | PickedDirectoryHandle>;
}

interface Window {
  readonly launchQueue?: { setConsumer(consumer: (params: LaunchParams) => void): void };
  showDirectoryPicker?: () => Promise<PickedDirectoryHandle>;
  showSaveFilePicker?: (options: {
    suggestedName: string;
    types: { description: string; accept: Record<string, string[]> }[];
  }) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}
