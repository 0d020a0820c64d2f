/**
 * Opening heap dumps from the local disk, three ways, best first:
 * 1. showOpenFilePicker (File System Access API, Chromium): gives handles
 *    that can be stored in IndexedDB and reopened after a reload;
 * 2. drag and drop: a handle too where `getAsFileSystemHandle` exists, else
 *    a plain File;
 * 3. a hidden `<input type=file>` where neither exists (Firefox, Safari).
 * Accepted: `.json`, `.json.gz`, `.jsonl`, `.jsonl.gz`, `.gz` (the parser
 * checks the content itself and says clearly when a file is not a dump).
 * Files are passed on as File objects or handles, never read here.
 */
export interface LocalDumpFile {
  file: File;
  /** present when the browser gave a handle (picker, or drop in Chromium) */
  handle: FileSystemFileHandle | null;
}

export const DUMP_FILE_EXTENSIONS = ['.json', '.json.gz', '.jsonl', '.jsonl.gz', '.gz'] as const;
/** For `<input accept>`. */
export const DUMP_FILE_ACCEPT = '.json,.gz,.jsonl,application/json,application/gzip';

export function isDumpFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return DUMP_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

interface OpenFilePickerOptions {
  multiple?: boolean;
  id?: string;
  excludeAcceptAllOption?: boolean;
  types?: { description: string; accept: Record<string, string[]> }[];
}
type ShowOpenFilePicker = (options: OpenFilePickerOptions) => Promise<FileSystemFileHandle[]>;

export function hasOpenFilePicker(): boolean {
  return typeof (globalThis as { showOpenFilePicker?: unknown }).showOpenFilePicker === 'function';
}

/** Shows the File System Access picker; resolves [] when the user cancels. */
async function pickWithFileSystemAccess(): Promise<LocalDumpFile[]> {
  const picker = (globalThis as unknown as { showOpenFilePicker: ShowOpenFilePicker }).showOpenFilePicker;
  let handles: FileSystemFileHandle[];
  try {
    handles = await picker({
      multiple: true,
      id: 'leakpilot-dumps',
      types: [{ description: 'Ruby heap dumps', accept: { 'application/json': ['.json', '.jsonl'], 'application/gzip': ['.gz'] } }],
    });
  } catch (error) {
    if ((error as DOMException).name === 'AbortError') return [];
    throw error;
  }
  return Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), handle })));
}

/** The `<input type=file>` fallback; resolves [] when the dialog is closed without a choice. */
function pickWithInput(): Promise<LocalDumpFile[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = DUMP_FILE_ACCEPT;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve([...(input.files ?? [])].map((file) => ({ file, handle: null })));
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve([]);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

/** Lets the user choose one or more dump files, with the best API this browser has. */
export function pickLocalDumps(): Promise<LocalDumpFile[]> {
  return hasOpenFilePicker() ? pickWithFileSystemAccess() : pickWithInput();
}

type ItemWithHandle = DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };

/**
 * The dump files of a drop event (call from the `drop` handler, before any
 * await: the DataTransfer empties once the handler returns). Non-files and
 * folders are skipped; `rejected` names files that do not look like dumps.
 */
export async function dumpsFromDrop(dataTransfer: DataTransfer): Promise<{ dumps: LocalDumpFile[]; rejected: string[] }> {
  const pending: Promise<LocalDumpFile | null>[] = [];
  for (const item of [...dataTransfer.items] as ItemWithHandle[]) {
    if (item.kind !== 'file') continue;
    const file = item.getAsFile();
    const handlePromise = item.getAsFileSystemHandle?.() ?? Promise.resolve(null);
    pending.push(
      handlePromise.then(async (handle) => {
        if (handle && handle.kind === 'file') {
          const fileHandle = handle as FileSystemFileHandle;
          return { file: file ?? (await fileHandle.getFile()), handle: fileHandle };
        }
        return file ? { file, handle: null } : null;
      }, () => (file ? { file, handle: null } : null)),
    );
  }
  const found = (await Promise.all(pending)).filter((entry): entry is LocalDumpFile => entry !== null);
  return {
    dumps: found.filter((entry) => isDumpFileName(entry.file.name)),
    rejected: found.filter((entry) => !isDumpFileName(entry.file.name)).map((entry) => entry.file.name),
  };
}

/**
 * Makes sure a stored handle may be read. After a reload Chromium has
 * forgotten the grant and asks the user again (this needs a recent click, so
 * call it from a click handler's chain). Resolves false when refused.
 */
export async function ensureReadPermission(handle: FileSystemFileHandle): Promise<boolean> {
  const withPermission = handle as FileSystemFileHandle & {
    queryPermission?: (descriptor: { mode: 'read' }) => Promise<PermissionState>;
    requestPermission?: (descriptor: { mode: 'read' }) => Promise<PermissionState>;
  };
  try {
    if (!withPermission.queryPermission || (await withPermission.queryPermission({ mode: 'read' })) === 'granted') return true;
    return (await withPermission.requestPermission?.({ mode: 'read' })) === 'granted';
  } catch {
    return false;
  }
}
