/**
 * Plain-data results of a 2- or 3-dump diff (what the CLI prints with
 * `--json` and what the UI pages through). Every row carries `liveCounts`:
 * the number of live objects with the same label in each dump, in dump order
 * (before, after[, later]), so growth is visible beside the diff itself.
 */
export interface DiffRowTotals {
  count: number;
  memsizeBytes: number;
  /** live objects with this row's label in each dump, in dump order */
  liveCounts: number[];
}

export interface ClassRow extends DiffRowTotals {
  className: string;
}
export interface LocationRow extends DiffRowTotals {
  location: string;
}
export interface TypeRow extends DiffRowTotals {
  type: string;
}
export interface AllocationRow extends DiffRowTotals {
  type: string;
  className: string;
  location: string;
}

/** One side of a diff (new, freed or retained objects), grouped four ways, rows sorted by count then bytes. */
export interface DiffObjectSet {
  count: number;
  memsizeBytes: number;
  byClass: ClassRow[];
  byLocation: LocationRow[];
  byType: TypeRow[];
  byAllocation: AllocationRow[];
}

export interface DiffIdentity {
  /** matched pairs (over every comparison made) whose rows carried allocation info: address + type + generation + site */
  traced: number;
  /** matched pairs of untraced rows: address + type + class only */
  weak: number;
  /** rows at an address present in the other dump that were judged a different object */
  addressReused: number;
  description: string;
}

export interface DiffResult {
  dumpCount: 2 | 3;
  /** objects per dump, in dump order */
  objectCounts: number[];
  identity: DiffIdentity;
  /** in `after`, not in `before` */
  new: DiffObjectSet;
  /** in `before`, not in `after` */
  freed: DiffObjectSet;
  /** allocated between `before` and `after` and still alive in `later` ("likely retained"); null for 2 dumps */
  retained: DiffObjectSet | null;
}

export const IDENTITY_DESCRIPTION =
  'Objects with allocation info match on address + type + generation + allocation site; ' +
  'objects without it (allocated before tracing started) match on address + type + class, which is weaker: ' +
  'a reused slot can pass for the old object. Results are "likely", not proof.';
