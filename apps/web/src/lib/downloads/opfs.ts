/**
 * Dumps kept in the Origin Private File System (navigator.storage), by path
 * from its root, e.g. "dumps/<id>-heap_dump_signal_123_456.json.gz". OPFS
 * files survive reloads and work offline; IndexedDB stores only their paths.
 */
export const OPFS_DUMP_FOLDER = 'dumps';

export class OpfsUnavailableError extends Error {
  override readonly name = 'OpfsUnavailableError';
  constructor() {
    super("this browser has no private file storage (Origin Private File System); choose where to save the file instead");
  }
}

export function isOpfsAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

/** A file name safe in any file system: no separators or control characters, at most 200 characters. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/^\.+/, '_');
  return cleaned.slice(-200) || 'dump';
}

/** The OPFS path where a dump downloaded from an agent is kept. */
export function opfsPathForAgentDump(agentDumpId: string, fileName: string): string {
  return `${OPFS_DUMP_FOLDER}/${safeFileName(`${agentDumpId.slice(0, 24)}-${fileName}`)}`;
}

async function folderOf(path: string, create: boolean): Promise<{ folder: FileSystemDirectoryHandle; fileName: string }> {
  if (!isOpfsAvailable()) throw new OpfsUnavailableError();
  const parts = path.split('/').filter((part) => part.length > 0);
  const fileName = parts.pop();
  if (!fileName) throw new Error(`"${path}" names no file`);
  let folder = await navigator.storage.getDirectory();
  for (const part of parts) folder = await folder.getDirectoryHandle(part, { create });
  return { folder, fileName };
}

export async function opfsFileHandle(path: string, create = false): Promise<FileSystemFileHandle> {
  const { folder, fileName } = await folderOf(path, create);
  return folder.getFileHandle(fileName, { create });
}

/** Deletes an OPFS file; a file that is already gone is not an error. */
export async function deleteOpfsFile(path: string): Promise<void> {
  try {
    const { folder, fileName } = await folderOf(path, false);
    await folder.removeEntry(fileName);
  } catch (error) {
    if ((error as DOMException).name !== 'NotFoundError') throw error;
  }
}

/** Asks the browser to keep OPFS data under storage pressure; returns whether it agreed. */
export async function requestPersistentStorage(): Promise<boolean> {
  return (await navigator.storage?.persist?.()) ?? false;
}

/** Used and available bytes of this origin's storage, as the browser estimates them. */
export async function storageEstimate(): Promise<{ usageBytes: number; quotaBytes: number } | null> {
  const estimate = await navigator.storage?.estimate?.();
  return estimate ? { usageBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0 } : null;
}
