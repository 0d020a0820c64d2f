/**
 * Typed errors of the engine session. They cross the worker boundary by
 * `name` and `message` (comlink clones only those), so the UI can tell "that
 * dump is not loaded here" from a bug.
 */
export class UnknownDumpError extends Error {
  override readonly name = 'UnknownDumpError';
  constructor(readonly dumpId: string) {
    super(`no dump with id ${JSON.stringify(dumpId)} is loaded in this engine`);
  }
}

export class UnknownTableError extends Error {
  override readonly name = 'UnknownTableError';
  constructor(readonly tableId: string) {
    super(`no table with id ${JSON.stringify(tableId)}: run the analysis that makes it first`);
  }
}

export class EngineRequestError extends Error {
  override readonly name = 'EngineRequestError';
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly dumpId: string, readonly address: string) {
    super(`no object at ${address} in dump ${dumpId}`);
  }
}
