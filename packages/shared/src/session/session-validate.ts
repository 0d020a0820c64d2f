/**
 * Checks that a parsed JSON document is a `.leakpilot` session this code can
 * read, field by field, and returns it typed. Foreign documents (no format id),
 * newer versions and malformed content each get their own SessionFileError, the
 * malformed ones with the path of the first bad field. Unknown extra fields are
 * dropped, so what is stored afterwards has exactly the documented shape.
 */
import { SessionFileError } from './session-errors.ts';
import {
  SESSION_FORMAT_ID,
  SESSION_FORMAT_VERSION,
  type ChecklistStepRecord,
  type ChecklistStepStatus,
  type DeployMarker,
  type JsonValue,
  type SessionData,
  type SessionDump,
  type SessionDumpSource,
  type SessionFile,
  type SessionHost,
  type SessionResult,
  type SessionResultKind,
} from './session-types.ts';

type Fields = Record<string, unknown>;

function invalid(path: string, expected: string): never {
  throw new SessionFileError(
    'invalid',
    `This LeakPilot session file is damaged: ${path} should be ${expected}. Ask for a fresh export.`,
    path,
  );
}

function objectAt(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, 'an object');
  return value as Fields;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'a list');
  return value;
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') invalid(path, 'text');
  return value;
}

function numberAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(path, 'a number');
  return value;
}

function nullableNumberAt(value: unknown, path: string): number | null {
  return value === null ? null : numberAt(value, path);
}

function nullableStringAt(value: unknown, path: string): string | null {
  return value === null ? null : stringAt(value, path);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) invalid(path, `one of ${allowed.join(', ')}`);
  return value as T;
}

function jsonAt(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return numberAt(value, path);
  if (Array.isArray(value)) return value.map((item, index) => jsonAt(item, `${path}[${index}]`));
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) out[key] = jsonAt(item, `${path}.${key}`);
    return out;
  }
  return invalid(path, 'JSON data');
}

const RESULT_KINDS: readonly SessionResultKind[] = [
  'summary',
  'diff',
  'suspects',
  'large-strings',
  'large-objects',
  'duplicate-strings',
  'inspect',
  'other',
];
const STEP_STATUSES: readonly ChecklistStepStatus[] = ['todo', 'in-progress', 'done', 'skipped'];

function hostAt(value: unknown, path: string): SessionHost {
  const f = objectAt(value, path);
  return {
    id: stringAt(f.id, `${path}.id`),
    name: stringAt(f.name, `${path}.name`),
    url: stringAt(f.url, `${path}.url`),
    addedAtMs: numberAt(f.addedAtMs, `${path}.addedAtMs`),
  };
}

function dumpSourceAt(value: unknown, path: string): SessionDumpSource {
  const f = objectAt(value, path);
  const kind = oneOf(f.kind, ['agent', 'local-file', 'generated'] as const, `${path}.kind`);
  if (kind === 'agent') {
    return {
      kind,
      hostId: stringAt(f.hostId, `${path}.hostId`),
      agentDumpId: stringAt(f.agentDumpId, `${path}.agentDumpId`),
      opfsPath: nullableStringAt(f.opfsPath ?? null, `${path}.opfsPath`),
    };
  }
  if (kind === 'local-file') return { kind, fileName: stringAt(f.fileName, `${path}.fileName`) };
  return { kind, description: stringAt(f.description, `${path}.description`) };
}

function dumpAt(value: unknown, path: string): SessionDump {
  const f = objectAt(value, path);
  return {
    id: stringAt(f.id, `${path}.id`),
    name: stringAt(f.name, `${path}.name`),
    sizeBytes: nullableNumberAt(f.sizeBytes ?? null, `${path}.sizeBytes`),
    pid: nullableNumberAt(f.pid ?? null, `${path}.pid`),
    capturedAtMs: nullableNumberAt(f.capturedAtMs ?? null, `${path}.capturedAtMs`),
    source: dumpSourceAt(f.source, `${path}.source`),
    addedAtMs: numberAt(f.addedAtMs, `${path}.addedAtMs`),
  };
}

function resultAt(value: unknown, path: string): SessionResult {
  const f = objectAt(value, path);
  return {
    id: stringAt(f.id, `${path}.id`),
    kind: oneOf(f.kind, RESULT_KINDS, `${path}.kind`),
    dumpIds: arrayAt(f.dumpIds, `${path}.dumpIds`).map((id, i) => stringAt(id, `${path}.dumpIds[${i}]`)),
    title: stringAt(f.title, `${path}.title`),
    createdAtMs: numberAt(f.createdAtMs, `${path}.createdAtMs`),
    data: jsonAt(f.data, `${path}.data`),
  };
}

function checklistStepAt(value: unknown, path: string): ChecklistStepRecord {
  const f = objectAt(value, path);
  return {
    stepId: stringAt(f.stepId, `${path}.stepId`),
    status: oneOf(f.status, STEP_STATUSES, `${path}.status`),
    updatedAtMs: numberAt(f.updatedAtMs, `${path}.updatedAtMs`),
    note: stringAt(f.note, `${path}.note`),
  };
}

function deployMarkerAt(value: unknown, path: string): DeployMarker {
  const f = objectAt(value, path);
  return {
    id: stringAt(f.id, `${path}.id`),
    hostId: nullableStringAt(f.hostId ?? null, `${path}.hostId`),
    atMs: numberAt(f.atMs, `${path}.atMs`),
    label: stringAt(f.label, `${path}.label`),
  };
}

function listAt<T>(value: unknown, path: string, item: (value: unknown, path: string) => T): T[] {
  return arrayAt(value, path).map((entry, index) => item(entry, `${path}[${index}]`));
}

/** Validates a whole session (also used for what the web app stores). */
export function validateSessionData(value: unknown, path = 'session'): SessionData {
  const f = objectAt(value, path);
  const session: SessionData = {
    id: stringAt(f.id, `${path}.id`),
    name: stringAt(f.name, `${path}.name`),
    createdAtMs: numberAt(f.createdAtMs, `${path}.createdAtMs`),
    updatedAtMs: numberAt(f.updatedAtMs, `${path}.updatedAtMs`),
    hosts: listAt(f.hosts, `${path}.hosts`, hostAt),
    dumps: listAt(f.dumps, `${path}.dumps`, dumpAt),
    results: listAt(f.results, `${path}.results`, resultAt),
    notes: stringAt(f.notes, `${path}.notes`),
    checklist: listAt(f.checklist, `${path}.checklist`, checklistStepAt),
    deployMarkers: listAt(f.deployMarkers, `${path}.deployMarkers`, deployMarkerAt),
    rootCauseFoundAtMs: nullableNumberAt(f.rootCauseFoundAtMs ?? null, `${path}.rootCauseFoundAtMs`),
  };
  const dumpIds = new Set(session.dumps.map((dump) => dump.id));
  session.results.forEach((result, index) => {
    result.dumpIds.forEach((dumpId, j) => {
      if (!dumpIds.has(dumpId)) invalid(`${path}.results[${index}].dumpIds[${j}]`, 'the id of a dump of this session');
    });
  });
  return session;
}

/** Validates the document of a `.leakpilot` file: format id, version, then the session. */
export function validateSessionFile(document: unknown): SessionFile {
  if (typeof document !== 'object' || document === null || Array.isArray(document) || (document as Fields).format !== SESSION_FORMAT_ID) {
    throw new SessionFileError(
      'foreign',
      'This file is not a LeakPilot session (it has no "leakpilot-session" format mark). Choose a .leakpilot file exported by LeakPilot.',
    );
  }
  const f = document as Fields;
  const version = numberAt(f.version, 'version');
  if (!Number.isInteger(version) || version < 1) invalid('version', 'a whole number of at least 1');
  if (version > SESSION_FORMAT_VERSION) {
    throw new SessionFileError(
      'newer-version',
      `This session was written by a newer LeakPilot (format version ${version}; this one reads up to ${SESSION_FORMAT_VERSION}). Update LeakPilot to open it.`,
    );
  }
  return {
    format: SESSION_FORMAT_ID,
    version,
    producer: stringAt(f.producer, 'producer'),
    exportedAtMs: numberAt(f.exportedAtMs, 'exportedAtMs'),
    session: validateSessionData(f.session),
  };
}
