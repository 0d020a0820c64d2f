/**
 * Errors of the engine client. Errors thrown inside a worker reach the main
 * thread through comlink as plain Errors that keep `name` and `message`, so
 * `engineErrorKind` classifies them by name (NotAHeapDumpError,
 * ParseCancelledError, DumpInputError, ...) for the UI.
 */
export class EngineCancelledError extends Error {
  override readonly name = 'EngineCancelledError';
  constructor(readonly dumpId: string) {
    super('parsing was cancelled');
  }
}

export class EngineDumpNotOpenError extends Error {
  override readonly name = 'EngineDumpNotOpenError';
  constructor(readonly dumpId: string) {
    super(`no dump with id "${dumpId}" is open`);
  }
}

/** The browser did not allow reading a stored file handle (after a reload the user must allow it again). */
export class EngineFilePermissionError extends Error {
  override readonly name = 'EngineFilePermissionError';
  constructor(readonly fileName: string) {
    super(`this browser was not allowed to read "${fileName}" again; allow it when asked, or open the file again`);
  }
}

export class EngineDisposedError extends Error {
  override readonly name = 'EngineDisposedError';
  constructor() {
    super('the analysis engine was shut down');
  }
}

export type EngineErrorKind = 'cancelled' | 'not-a-dump' | 'input' | 'permission' | 'lost' | 'crashed' | 'not-open' | 'disposed' | 'other';

export function engineErrorKind(error: unknown): EngineErrorKind {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'EngineCancelledError':
    case 'ParseCancelledError':
      return 'cancelled';
    case 'NotAHeapDumpError':
      return 'not-a-dump';
    case 'DumpInputError':
      return 'input';
    case 'EngineFilePermissionError':
      return 'permission';
    case 'EngineWorkerRestartedError':
      return 'lost';
    case 'EngineWorkerCrashedError':
      return 'crashed';
    case 'EngineDumpNotOpenError':
      return 'not-open';
    case 'EngineDisposedError':
      return 'disposed';
    default:
      return 'other';
  }
}
