/**
 * What a LeakPilot session holds, as plain JSON-able data: the hosts it talked
 * to, the dumps it analysed, the analysis results, notes, checklist progress
 * and deploy markers. The same shapes are kept in IndexedDB by the web app
 * (apps/web/src/lib/storage) and written to `.leakpilot` files
 * (session-codec.ts), so a receiver sees every result without the dumps.
 *
 * Invariants: ids are opaque strings unique within a session; times are epoch
 * milliseconds (`...AtMs`); tokens are never part of a session (a session file
 * is meant to be shared); `data` of a result is whatever plain JSON the engine
 * returned (summary, diff, suspects ...), stored as is.
 */

/** Any JSON value (what `JSON.parse` can return). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An agent the session used. The bearer token is kept apart (storage `hosts`), never here. */
export interface SessionHost {
  id: string;
  /** a name a person chose, e.g. "web-3 via ssh tunnel" */
  name: string;
  /** the agent's base URL, e.g. http://127.0.0.1:7373 */
  url: string;
  addedAtMs: number;
}

/** Where a dump's bytes came from, and where they can be found again. */
export type SessionDumpSource =
  /** downloaded from an agent; `opfsPath` is set once it is stored in the Origin Private File System */
  | { kind: 'agent'; hostId: string; agentDumpId: string; opfsPath: string | null }
  /** opened from the local disk (file picker, drag and drop, file input) */
  | { kind: 'local-file'; fileName: string }
  /** made by the CLI or a script (e.g. the bundled demo session): no bytes are available */
  | { kind: 'generated'; description: string };

export interface SessionDump {
  id: string;
  /** file name as shown to a person */
  name: string;
  sizeBytes: number | null;
  /** pid of the dumped process, when known (from the agent or the file name) */
  pid: number | null;
  /** when the dump was written, when known */
  capturedAtMs: number | null;
  source: SessionDumpSource;
  addedAtMs: number;
}

/** The kinds of stored results; the UI picks a view by kind. */
export type SessionResultKind =
  | 'summary'
  | 'diff'
  | 'suspects'
  | 'large-strings'
  | 'large-objects'
  | 'duplicate-strings'
  | 'inspect'
  | 'other';

export interface SessionResult {
  id: string;
  kind: SessionResultKind;
  /** the dumps it was computed from, in order (before, after, later for a diff) */
  dumpIds: string[];
  title: string;
  createdAtMs: number;
  /** the engine's plain-data result */
  data: JsonValue;
}

export type ChecklistStepStatus = 'todo' | 'in-progress' | 'done' | 'skipped';

export interface ChecklistStepRecord {
  /** the UI's step id, e.g. "confirm-growth", "dump-again", "escalate" */
  stepId: string;
  status: ChecklistStepStatus;
  updatedAtMs: number;
  /** what was done or found, for a person */
  note: string;
}

/** "A change was deployed here" on the memory chart (verify a fix). */
export interface DeployMarker {
  id: string;
  hostId: string | null;
  atMs: number;
  label: string;
}

export interface SessionData {
  id: string;
  name: string;
  createdAtMs: number;
  updatedAtMs: number;
  hosts: SessionHost[];
  dumps: SessionDump[];
  results: SessionResult[];
  notes: string;
  checklist: ChecklistStepRecord[];
  deployMarkers: DeployMarker[];
  /** when someone recorded the root cause as found (stops the 2-hour escalation clock), or null */
  rootCauseFoundAtMs: number | null;
}

/** Identifies a `.leakpilot` file; anything else is a foreign file. */
export const SESSION_FORMAT_ID = 'leakpilot-session';
/** The version this code writes; it reads this version and older ones. */
export const SESSION_FORMAT_VERSION = 1;

/** The JSON document inside a `.leakpilot` file (gzip-compressed on disk). */
export interface SessionFile {
  format: typeof SESSION_FORMAT_ID;
  version: number;
  /** e.g. "LeakPilot 0.1.0" */
  producer: string;
  exportedAtMs: number;
  session: SessionData;
}

/** A new, empty session. */
export function createSessionData(id: string, name: string, nowMs: number): SessionData {
  return {
    id,
    name,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    hosts: [],
    dumps: [],
    results: [],
    notes: '',
    checklist: [],
    deployMarkers: [],
    rootCauseFoundAtMs: null,
  };
}
