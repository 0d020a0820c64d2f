/**
 * Downloads a dump listed by an agent into the Origin Private File System or
 * into a file the user picked (showSaveFilePicker, where supported), through
 * downloadWithResume: streamed, resumable, cancellable with an AbortSignal.
 * On failure or cancel the partial file is discarded (an OPFS file created
 * for it is removed).
 */
import { isApiErrorBody, type DumpFile } from '@leakpilot/shared/api/agent-api.ts';
import type { AgentClient } from '../agent-client/agent-client.ts';
import { httpFailure } from '../agent-client/agent-errors.ts';
import { WritableFileSink } from './download-sink.ts';
import { deleteOpfsFile, opfsFileHandle, opfsPathForAgentDump } from './opfs.ts';
import { DownloadHttpError, downloadWithResume, type DownloadProgress, type DownloadResult } from './resumable-download.ts';

export type DownloadTarget = { kind: 'opfs' } | { kind: 'file-handle'; handle: FileSystemFileHandle };

export interface AgentDumpDownload extends DownloadResult {
  /** where the bytes are now: an OPFS path, or null for a user-picked file */
  opfsPath: string | null;
  handle: FileSystemFileHandle;
}

export interface AgentDumpDownloadOptions {
  client: AgentClient;
  dump: DumpFile;
  target: DownloadTarget;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

/** Whether this browser can ask where to save a file (Chromium desktop). */
export function canPickSaveLocation(): boolean {
  return typeof (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker === 'function';
}

/** Asks the user where to save a dump; resolves null when they cancel. */
export async function pickSaveLocation(suggestedName: string): Promise<FileSystemFileHandle | null> {
  const picker = (globalThis as { showSaveFilePicker?: (options: { suggestedName: string }) => Promise<FileSystemFileHandle> }).showSaveFilePicker;
  if (!picker) return null;
  try {
    return await picker({ suggestedName });
  } catch (error) {
    if ((error as DOMException).name === 'AbortError') return null;
    throw error;
  }
}

export async function downloadAgentDump(options: AgentDumpDownloadOptions): Promise<AgentDumpDownload> {
  const { client, dump, target } = options;
  const opfsPath = target.kind === 'opfs' ? opfsPathForAgentDump(dump.id, dump.name) : null;
  const handle = target.kind === 'opfs' ? await opfsFileHandle(opfsPath ?? '', true) : target.handle;
  try {
    const result = await downloadWithResume({
      url: client.dumpUrl(dump.id),
      headers: client.authHeaders(),
      sink: new WritableFileSink(handle),
      signal: options.signal,
      onProgress: options.onProgress,
      expectedTotalBytes: dump.writing ? null : dump.sizeBytes,
    });
    return { ...result, opfsPath, handle };
  } catch (error) {
    if (opfsPath) await deleteOpfsFile(opfsPath).catch(() => undefined);
    if (error instanceof DownloadHttpError) {
      let body: unknown = null;
      try {
        body = await error.response.json();
      } catch {
        // no JSON error body
      }
      const apiError = isApiErrorBody(body) ? body.error : null;
      throw httpFailure(error.status, apiError?.code ?? null, apiError?.message ?? null, client.baseUrl);
    }
    throw error;
  }
}
