/**
 * Identity of an object across dumps: its address plus a 32-bit *tag*.
 *
 * Ruby reuses a freed slot's address for a new object and moves objects when
 * compacting, so the address alone is not an identity. Two rows in two dumps
 * are the same object when their addresses are equal and their tags are:
 * - traced rows (the line carried allocation info): tag = hash of type,
 *   generation and allocation site (file, line, method), low bit 1. A reused
 *   slot gets a later generation, so it does not match.
 * - untraced rows: tag = hash of type and class address, low bit 0. Weaker: a
 *   slot reused by an untraced object of the same type and class matches.
 * A traced row never matches an untraced one (the low bit differs). Tags are
 * 32-bit hashes: two different objects at one address collide with
 * probability about 2^-31, far below the identity's own uncertainty.
 *
 * Tags are computed row by row from that row's own columns only, so
 * dump-digest.ts can write them over a column of a dump it consumes.
 */
import { NO_GENERATION, type HeapDump } from '../store/heap-dump.ts';
import { FlagBit } from '../store/flags.ts';
import { ordinalsOfRuns } from '../store/address-runs.ts';

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

/** The content hash of an allocation site (site ordinals differ between dumps; content does not). */
export function siteContentHash(file: string, line: number, method: string): number {
  return hashText(mix(hashText(0x811c9dc5, file), line), method);
}

function siteContentHashes(dump: HeapDump): Uint32Array {
  const { fileIndex, line, methodIndex, strings, count } = dump.sites;
  const hashes = new Uint32Array(count);
  for (let site = 1; site < count; site++) hashes[site] = siteContentHash(strings[fileIndex[site]], line[site], strings[methodIndex[site]]);
  return hashes;
}

/** The strong tag of a traced row: type, generation and the content hash of its site; low bit 1. */
export function tracedTag(typeCode: number, generation: number, siteHash: number): number {
  return (mix(mix(mix(0x9e3779b9, typeCode), generation), siteHash) | 1) >>> 0;
}

/** The weak tag of an untraced row: type and class address (NaN, for a class made up by the parser, counts as 0); low bit 0. */
export function untracedTag(typeCode: number, classAddress: number): number {
  const known = Number.isFinite(classAddress) ? classAddress : 0;
  return (mix(mix(mix(0x7f4a7c15, typeCode), known % 0x100000000), Math.floor(known / 0x100000000)) & ~1) >>> 0;
}

/** Whether a row with these columns carries allocation info and so gets the strong identity. */
export function isTracedRow(flagBits: number, generation: number): boolean {
  return (flagBits & FlagBit.traced) !== 0 && generation !== NO_GENERATION;
}

/** Computes the tag of one row from its columns; made once per dump (it hashes the site table). */
export type IdentityTagger = (typeCode: number, flagBits: number, classOrdinal: number, generation: number, siteOrdinal: number) => number;

export function identityTaggerOf(dump: HeapDump): IdentityTagger {
  const siteHash = siteContentHashes(dump);
  const classAddress = dump.classes.address;
  return (typeCode, flagBits, classOrdinal, generation, siteOrdinal) =>
    isTracedRow(flagBits, generation) ? tracedTag(typeCode, generation, siteHash[siteOrdinal]) : untracedTag(typeCode, classAddress[classOrdinal]);
}

/**
 * The dump's ordinals in ascending address order, or null when the ordinals
 * already are (from the dump's runs or order when it has them; a dump built
 * without either, as in tests, is checked and sorted here).
 */
export function addressOrderOf(dump: HeapDump): Uint32Array | null {
  if (dump.addressRuns !== null) return ordinalsOfRuns(dump.addressRuns, dump.objectCount);
  if (dump.ordinalsByAddress) return dump.ordinalsByAddress;
  const address = dump.address;
  let ascending = true;
  for (let ordinal = 1; ordinal < dump.objectCount && ascending; ordinal++) ascending = address[ordinal] >= address[ordinal - 1];
  if (ascending) return null;
  const ordinals = new Uint32Array(dump.objectCount);
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) ordinals[ordinal] = ordinal;
  return ordinals.sort((a, b) => address[a] - address[b]);
}
