/**
 * A dump's DumpDigest built row by row while the dump is read
 * (parse-dump-digest.ts): the DumpBuilder hands each object row here
 * (ObjectRowSink) instead of storing it in its columns. Per object: address,
 * identity tag (identity-keys.ts, the same tag `digestDump` computes),
 * group slot and memsize, 20 bytes. The identity-only HeapDump this
 * replaces held 27 (type, flags and class row besides), and the in-place
 * digest then took another pass over it.
 *
 * Slots are numbered in the order their (type, class row, site) first
 * appears, as `digestDump` numbers them, so both give the same digest.
 */
import { columnSizing, growFloat64, growUint32, type Growable } from '../parse/growable.ts';
import type { ObjectRowSink, RowTables } from '../parse/object-row-sink.ts';
import { isTracedRow, siteContentHash, tracedTag, untracedTag } from './identity-keys.ts';
import { TripleKeyTable } from './triple-key-table.ts';

export class DigestRows implements ObjectRowSink {
  length = 0;
  tracedCount = 0;
  // Growable lengths are brought up to `length` only when growing and when taken
  private readonly address: Growable<Float64Array>;
  private readonly tag: Growable<Uint32Array>;
  private readonly slot: Growable<Uint32Array>;
  private readonly memsizeBytes: Growable<Uint32Array>;
  readonly tuples = new TripleKeyTable();
  /** content hash per site ordinal, for the sites met so far (site 0: 0) */
  private readonly siteHash = growUint32(1024);
  private names: RowTables | null = null;
  // Neighbouring rows often share their group (a heap page of one type and
  // class) and, when traced, their generation: a one-entry memo of the slot
  // and of the tags it implies (-1: not computed for this group yet).
  private lastType = -1;
  private lastClass = -1;
  private lastSite = -1;
  private lastSlot = 0;
  private lastUntracedTag = -1;
  private lastGeneration = -1;
  private lastTracedTag = 0;

  /** `minColumnBytes`: as DumpBuilderOptions.minColumnBytes */
  constructor(expectedRows: number, minColumnBytes = 0) {
    const { reserved, capacity } = columnSizing(expectedRows, minColumnBytes);
    this.address = growFloat64(capacity(8), reserved);
    this.tag = growUint32(capacity(4), reserved);
    this.slot = growUint32(capacity(4), reserved);
    this.memsizeBytes = growUint32(capacity(4), reserved);
    this.siteHash.push(0);
  }

  bindTables(tables: RowTables): void {
    this.names = tables;
  }

  add(address: number, typeCode: number, flagBits: number, classRow: number, memsizeBytes: number, generation: number, site: number): void {
    const names = this.names;
    if (names === null) throw new RangeError('DigestRows: bindTables() must come before the first row');
    const row = this.length;
    if (row === this.address.array.length) this.grow();
    if (typeCode !== this.lastType || classRow !== this.lastClass || site !== this.lastSite) {
      this.lastSlot = this.tuples.slotOf(typeCode, classRow, site);
      this.lastType = typeCode;
      this.lastClass = classRow;
      this.lastSite = site;
      this.lastUntracedTag = -1;
      this.lastGeneration = -1;
    }
    let tag: number;
    if (isTracedRow(flagBits, generation)) {
      if (generation !== this.lastGeneration) {
        this.lastTracedTag = tracedTag(typeCode, generation, this.siteHashOf(site, names));
        this.lastGeneration = generation;
      }
      tag = this.lastTracedTag;
      this.tracedCount++;
    } else {
      if (this.lastUntracedTag === -1) this.lastUntracedTag = untracedTag(typeCode, names.classRefs.address.array[classRow]);
      tag = this.lastUntracedTag;
    }
    this.address.array[row] = address;
    this.memsizeBytes.array[row] = memsizeBytes;
    this.tag.array[row] = tag;
    this.slot.array[row] = this.lastSlot;
    this.length = row + 1;
  }

  /** The four columns, exactly `length` rows each; the rows are done. */
  take(): { address: Float64Array; tag: Uint32Array; slot: Uint32Array; memsizeBytes: Uint32Array } {
    this.syncLengths();
    return { address: this.address.take(), tag: this.tag.take(), slot: this.slot.take(), memsizeBytes: this.memsizeBytes.take() };
  }

  private syncLengths(): void {
    this.address.length = this.tag.length = this.slot.length = this.memsizeBytes.length = this.length;
  }

  private siteHashOf(site: number, names: RowTables): number {
    const hashes = this.siteHash;
    // sites are numbered as they are first met: hash the new ones
    while (hashes.length <= site) {
      const next = hashes.length;
      const strings = names.siteStrings.strings;
      hashes.push(siteContentHash(strings[names.sites.fileIndexOf(next)], names.sites.lineOf(next), strings[names.sites.methodIndexOf(next)]));
    }
    return hashes.array[site];
  }

  private grow(): void {
    this.syncLengths();
    for (const column of [this.address, this.tag, this.slot, this.memsizeBytes]) column.reserve(1);
  }
}
