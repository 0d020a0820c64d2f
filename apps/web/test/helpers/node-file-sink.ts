// A DownloadSink over a real file on disk (node:fs), standing in for the
// browser's FileSystemWritableFileStream in node tests: positional writes,
// truncate, close, and abort that deletes the partial file.
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { DownloadSink } from '../../src/lib/downloads/download-sink.ts';

export class NodeFileSink implements DownloadSink {
  private handle: FileHandle | null = null;
  closed = false;
  aborted = false;

  constructor(readonly path: string) {}

  private async file(): Promise<FileHandle> {
    this.handle ??= await open(this.path, 'w+');
    return this.handle;
  }

  async write(position: number, chunk: Uint8Array): Promise<void> {
    await (await this.file()).write(chunk, 0, chunk.byteLength, position);
  }

  async truncate(sizeBytes: number): Promise<void> {
    await (await this.file()).truncate(sizeBytes);
  }

  async close(): Promise<void> {
    await (await this.file()).close();
    this.handle = null;
    this.closed = true;
  }

  async abort(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    await rm(this.path, { force: true });
    this.aborted = true;
  }
}
