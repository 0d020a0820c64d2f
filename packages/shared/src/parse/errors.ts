/**
 * Typed errors of the parser. `NotAHeapDumpError` is thrown early, before any
 * columns are allocated, when the input is plainly something else (an HTML
 * page, a PNG, a V8 .heapsnapshot, an empty file); its message says what the
 * input looks like and what LeakPilot expected.
 */
export class NotAHeapDumpError extends Error {
  override readonly name = 'NotAHeapDumpError';
  constructor(
    /** what the input looks like, e.g. "an HTML page" */
    readonly lookedLike: string,
    message: string,
  ) {
    super(message);
  }
}

export class ParseCancelledError extends Error {
  override readonly name = 'ParseCancelledError';
  constructor() {
    super('parsing was cancelled');
  }
}
