/**
 * The typed error of reading a `.leakpilot` file. `code` says what is wrong in
 * a way the UI can branch on; `message` says it to a person, with what to do.
 * Reading never changes anything stored: callers validate first, then write.
 */
export type SessionFileErrorCode =
  /** zero bytes */
  | 'empty'
  /** gzip header present but the compressed data is cut or corrupt */
  | 'damaged'
  /** decompressed, but not JSON text */
  | 'not-json'
  /** JSON (or some other file), but not a LeakPilot session */
  | 'foreign'
  /** a LeakPilot session written by a newer LeakPilot */
  | 'newer-version'
  /** a LeakPilot session whose content does not have the expected shape */
  | 'invalid'
  /** larger than this reader accepts */
  | 'too-large';

export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
  constructor(
    readonly code: SessionFileErrorCode,
    message: string,
    /** for `invalid`: where in the document, e.g. "session.dumps[2].sizeBytes" */
    readonly fieldPath: string | null = null,
  ) {
    super(message);
  }
}
