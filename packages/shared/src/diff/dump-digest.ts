/**
 * What a diff keeps of one dump (`DumpDigest`): per ordinal its address, its
 * identity tag (identity-keys.ts), the slot of its (type, class, allocation
 * site) group and its memsize, plus the address order and each slot's labels
 * (type name, class name, `file:line`). 20 bytes per object, 24 when the
 * addresses are not already ascending. Matching (match-identities.ts) and
 * grouping (group-counts.ts) need nothing else, so a dump can be released as
 * soon as its digest is taken, and a digest is plain transferable data that a
 * parsing worker can post back.
 *
 * Two ways to take it:
 * - `digestDump(dump)` leaves the dump intact: the digest shares its address
 *   and memsize columns and allocates the tag and slot columns.
 * - `digestDumpInPlace(dump)` consumes the dump: it writes each row's tag over
 *   its `generation` and its slot over its `siteOrdinal` (each row's tag and
 *   slot depend only on that row's columns, read before they are written), so
 *   the digest costs no memory beyond the parse. For a dump dropped right
 *   after (the CLI's parsing workers); the dump must not be used afterwards.
 *
 * Slots are numbered per dump; labels, not slots, compare across dumps.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { siteLabelOf } from '../store/lookup.ts';
import { typeNameOf } from '../store/object-types.ts';
import { addressOrderOf, identityTaggerOf } from './identity-keys.ts';
import { TripleKeyTable } from './triple-key-table.ts';

export const NO_SITE_LABEL = '(no allocation info)';

export interface SlotLabels {
  type: string;
  className: string;
  location: string;
}

export interface DumpDigest {
  objectCount: number;
  /** per ordinal */
  address: Float64Array;
  /** per ordinal: identity tag, low bit 1 when traced */
  tag: Uint32Array;
  /** per ordinal: group slot, an index into `labels` */
  slot: Uint32Array;
  /** per ordinal */
  memsizeBytes: Uint32Array;
  /** ordinals in ascending address order, or null when the ordinals already are */
  ordinalsByAddress: Uint32Array | null;
  /** per slot */
  labels: SlotLabels[];
  /** rows with the strong (traced) identity */
  tracedCount: number;
}

/** `file:line` of a site ordinal, or NO_SITE_LABEL for 0. */
export function siteLocationOf(dump: HeapDump, siteOrdinal: number): string {
  return siteOrdinal === 0 ? NO_SITE_LABEL : siteLabelOf(dump, siteOrdinal);
}

/** Fills `tagOut` and `slotOut` (which may be the dump's generation and siteOrdinal columns). */
function digestInto(dump: HeapDump, tagOut: Uint32Array, slotOut: Uint32Array): DumpDigest {
  const tagOf = identityTaggerOf(dump);
  const tuples = new TripleKeyTable();
  const { typeCode, flagBits, classOrdinal, generation, siteOrdinal } = dump;
  let tracedCount = 0;
  // neighbouring rows often share their group (a heap page of one type and class): one-entry memo
  let lastType = -1;
  let lastClass = -1;
  let lastSite = -1;
  let lastSlot = 0;
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    const type = typeCode[ordinal];
    const classRow = classOrdinal[ordinal];
    const site = siteOrdinal[ordinal];
    const tag = tagOf(type, flagBits[ordinal], classRow, generation[ordinal], site);
    if (type !== lastType || classRow !== lastClass || site !== lastSite) {
      lastSlot = tuples.slotOf(type, classRow, site);
      lastType = type;
      lastClass = classRow;
      lastSite = site;
    }
    slotOut[ordinal] = lastSlot;
    tagOut[ordinal] = tag;
    tracedCount += tag & 1;
  }
  const labels: SlotLabels[] = [];
  for (let slot = 0; slot < tuples.size; slot++) {
    const [type, classRow, site] = tuples.keysOf(slot);
    labels.push({ type: typeNameOf(type), className: dump.classes.names[classRow], location: siteLocationOf(dump, site) });
  }
  return {
    objectCount: dump.objectCount,
    address: dump.address.subarray(0, dump.objectCount),
    tag: tagOut.subarray(0, dump.objectCount),
    slot: slotOut.subarray(0, dump.objectCount),
    memsizeBytes: dump.memsizeBytes.subarray(0, dump.objectCount),
    ordinalsByAddress: addressOrderOf(dump),
    labels,
    tracedCount,
  };
}

/** The digest of a dump that stays usable (shares its address and memsize columns). */
export function digestDump(dump: HeapDump): DumpDigest {
  return digestInto(dump, new Uint32Array(dump.objectCount), new Uint32Array(dump.objectCount));
}

/** The digest of a dump that is dropped afterwards, written over its generation and siteOrdinal columns. */
export function digestDumpInPlace(dump: HeapDump): DumpDigest {
  return digestInto(dump, dump.generation, dump.siteOrdinal);
}

/** The buffers of a digest, for a postMessage transfer list. */
export function transferablesOfDigest(digest: DumpDigest): ArrayBuffer[] {
  const views = [digest.address, digest.tag, digest.slot, digest.memsizeBytes, digest.ordinalsByAddress];
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) if (view !== null) buffers.add(view.buffer as ArrayBuffer);
  return [...buffers];
}
