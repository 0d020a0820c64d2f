/**
 * The messages between the engine worker and a short-lived dump part worker
 * (dump-part.worker.ts), which scans one byte range of a plain dump file.
 * One request per worker; the worker answers `started`, progress messages, then
 * exactly one `done` (the ScanPart, its buffers transferred) or `failed`.
 *
 * Errors cross as name + message (+ lookedLike for NotAHeapDumpError):
 * structured clone keeps the name of built-in errors only, so the engine
 * worker rebuilds the typed error (`errorOfPart`) and the client classifies
 * it exactly as on the one-thread path.
 */
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import type { RangeCut, ScanPart } from '@leakpilot/shared/parse/parse-parts.ts';
import type { RangeReadCount } from './range-progress.ts';

export interface DumpPartRequest {
  /** the whole file; the worker streams `blob.slice(streamStart)` */
  blob: Blob;
  streamStart: number;
  cut: RangeCut;
  /** bytes the range owns (sizes the columns, caps the progress) */
  rangeBytes: number;
  references?: boolean;
  stringPrefixBytes?: number;
}

export interface PartErrorInfo {
  name: string;
  message: string;
  /** NotAHeapDumpError's description of the input */
  lookedLike?: string;
}

export type DumpPartReply =
  /** the worker is running and has the request (sent first) */
  | { kind: 'started' }
  /** bytes and lines streamed so far (RangeProgress caps the bytes at the range's own) */
  | { kind: 'progress'; count: RangeReadCount }
  | { kind: 'done'; part: ScanPart }
  | { kind: 'failed'; error: PartErrorInfo };

export function partErrorInfo(error: unknown): PartErrorInfo {
  if (error instanceof NotAHeapDumpError) return { name: error.name, message: error.message, lookedLike: error.lookedLike };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The typed error a part worker reported, with its name and message unchanged. */
export function errorOfPart(info: PartErrorInfo): Error {
  if (info.name === 'NotAHeapDumpError') return new NotAHeapDumpError(info.lookedLike ?? 'not a heap dump', info.message);
  const error = new Error(info.message);
  error.name = info.name;
  return error;
}
