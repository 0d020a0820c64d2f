/**
 * Identity of an object across dumps, as compact keys sorted by address.
 *
 * Ruby reuses a freed slot's address for a new object and moves objects when
 * compacting, so the address alone is not an identity. Two rows in two dumps
 * are the same object when their addresses are equal and their *tags* are:
 * - traced rows (the line carried allocation info): tag = hash of type,
 *   generation and allocation site (file, line, method), low bit 1. A reused
 *   slot gets a later generation, so it does not match.
 * - untraced rows: tag = hash of type and class address, low bit 0. Weaker: a
 *   slot reused by an untraced object of the same type and class matches.
 * A traced row never matches an untraced one (the low bit differs). Tags are
 * 32-bit hashes: two different objects at one address collide with
 * probability about 2^-31, far below the identity's own uncertainty.
 *
 * Keys cost 16 bytes per object (address 8, tag 4, ordinal 4) and let a dump
 * be released after its keys are taken: older dumps of a 3-dump diff need
 * nothing else.
 */
import { NO_GENERATION, type HeapDump } from '../store/heap-dump.ts';
import { FlagBit } from '../store/flags.ts';

export interface IdentityKeys {
  objectCount: number;
  /** addresses in ascending order */
  sortedAddress: Float64Array;
  /** tag of the row at the same sorted position */
  sortedTag: Uint32Array;
  /** ordinal in its dump of the row at the same sorted position */
  sortedOrdinal: Uint32Array;
  tracedCount: number;
}

function mix(hash: number, value: number): number {
  let h = hash ^ (value >>> 0);
  h = Math.imul(h, 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) >>> 0;
}

function hashText(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Content hash per site ordinal (site ordinals differ between dumps; content does not). */
function siteContentHashes(dump: HeapDump): Uint32Array {
  const { fileIndex, line, methodIndex, strings, count } = dump.sites;
  const hashes = new Uint32Array(count);
  for (let site = 1; site < count; site++) {
    let h = hashText(0x811c9dc5, strings[fileIndex[site]]);
    h = mix(h, line[site]);
    hashes[site] = hashText(h, strings[methodIndex[site]]);
  }
  return hashes;
}

/** Whether the row carries allocation info and so gets the strong identity. */
export function isTraced(dump: HeapDump, ordinal: number): boolean {
  return (dump.flagBits[ordinal] & FlagBit.traced) !== 0 && dump.generation[ordinal] !== NO_GENERATION;
}

export function identityTagsOf(dump: HeapDump): Uint32Array {
  const siteHash = siteContentHashes(dump);
  const classAddress = dump.classes.address;
  const tags = new Uint32Array(dump.objectCount);
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    const typeCode = dump.typeCode[ordinal];
    if (isTraced(dump, ordinal)) {
      const h = mix(mix(mix(0x9e3779b9, typeCode), dump.generation[ordinal]), siteHash[dump.siteOrdinal[ordinal]]);
      tags[ordinal] = (h | 1) >>> 0;
    } else {
      const address = classAddress[dump.classOrdinal[ordinal]];
      const known = Number.isFinite(address) ? address : 0;
      const h = mix(mix(mix(0x7f4a7c15, typeCode), known % 0x100000000), Math.floor(known / 0x100000000));
      tags[ordinal] = (h & ~1) >>> 0;
    }
  }
  return tags;
}

/** Ordinals in ascending address order (the dump's own index when it has one). */
export function ordinalsInAddressOrder(dump: HeapDump): Uint32Array {
  if (dump.ordinalsByAddress) return dump.ordinalsByAddress;
  const ordinals = new Uint32Array(dump.objectCount);
  let ascending = true;
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
    ordinals[ordinal] = ordinal;
    if (ordinal > 0 && dump.address[ordinal] < dump.address[ordinal - 1]) ascending = false;
  }
  if (!ascending) ordinals.sort((a, b) => dump.address[a] - dump.address[b]);
  return ordinals;
}

export function identityKeysOf(dump: HeapDump): IdentityKeys {
  const tags = identityTagsOf(dump);
  // shared with the dump when it has its own index: only that one array outlives the dump
  const sortedOrdinal = ordinalsInAddressOrder(dump);
  const n = dump.objectCount;
  const sortedAddress = new Float64Array(n);
  const sortedTag = new Uint32Array(n);
  let tracedCount = 0;
  for (let position = 0; position < n; position++) {
    const ordinal = sortedOrdinal[position];
    sortedAddress[position] = dump.address[ordinal];
    sortedTag[position] = tags[ordinal];
    tracedCount += tags[ordinal] & 1;
  }
  return { objectCount: n, sortedAddress, sortedTag, sortedOrdinal, tracedCount };
}
