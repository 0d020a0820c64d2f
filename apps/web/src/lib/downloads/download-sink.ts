/**
 * Where a download's bytes go, written as they arrive (never collected in
 * memory). `WritableFileSink` wraps a FileSystemFileHandle: a file in the
 * Origin Private File System or one the user picked with showSaveFilePicker.
 * Chromium writes to a swap file and makes it visible on `close()`; `abort()`
 * discards it. Positional writes let a resumed download continue at the byte
 * where the connection dropped, and `truncate` restarts it from zero.
 */
export interface DownloadSink {
  /** writes `chunk` at byte `position` */
  write(position: number, chunk: Uint8Array): Promise<void>;
  /** cuts the file to `sizeBytes` (0 to start over) */
  truncate(sizeBytes: number): Promise<void>;
  /** makes the written bytes the file's content */
  close(): Promise<void>;
  /** discards what was written */
  abort(): Promise<void>;
}

export class WritableFileSink implements DownloadSink {
  private writable: FileSystemWritableFileStream | null = null;

  constructor(readonly handle: FileSystemFileHandle) {}

  private async open(): Promise<FileSystemWritableFileStream> {
    this.writable ??= await this.handle.createWritable({ keepExistingData: false });
    return this.writable;
  }

  async write(position: number, chunk: Uint8Array): Promise<void> {
    await (await this.open()).write({ type: 'write', position, data: chunk as Uint8Array<ArrayBuffer> });
  }

  async truncate(sizeBytes: number): Promise<void> {
    await (await this.open()).truncate(sizeBytes);
  }

  async close(): Promise<void> {
    await (await this.open()).close();
    this.writable = null;
  }

  async abort(): Promise<void> {
    if (!this.writable) return;
    await this.writable.abort();
    this.writable = null;
  }
}
