/**
 * Interns allocation sites (file index, line, method index) into the rows of
 * a `SiteTable` with an open-addressing hash table of Uint32 site ordinals,
 * so each object stores one 4-byte `siteOrdinal` instead of three columns.
 * Site 0 is "no site" (an untraced object).
 */
import type { SiteTable } from '../store/heap-dump.ts';
import { growUint32 } from './growable.ts';

function siteHash(fileIndex: number, line: number, methodIndex: number): number {
  let hash = Math.imul(fileIndex ^ 0x9e3779b9, 0x85ebca6b);
  hash = Math.imul(hash ^ line, 0xc2b2ae35);
  hash = Math.imul(hash ^ methodIndex, 0x27d4eb2f);
  return (hash ^ (hash >>> 15)) >>> 0;
}

export class SiteInterner {
  private readonly fileIndex = growUint32(1024);
  private readonly line = growUint32(1024);
  private readonly methodIndex = growUint32(1024);
  /** slot -> site ordinal (0 = empty slot; site 0 is never stored in the table) */
  private slots = new Uint32Array(4096);
  /** the site last asked for (site 0 never is: it is answered before the memo) */
  private lastFileIndex = -1;
  private lastLine = -1;
  private lastMethodIndex = -1;
  private lastSite = 0;

  constructor() {
    this.fileIndex.push(0);
    this.line.push(0);
    this.methodIndex.push(0);
  }

  get count(): number {
    return this.fileIndex.length;
  }

  fileIndexOf(site: number): number {
    return this.fileIndex.array[site];
  }

  lineOf(site: number): number {
    return this.line.array[site];
  }

  methodIndexOf(site: number): number {
    return this.methodIndex.array[site];
  }

  intern(fileIndex: number, line: number, methodIndex: number): number {
    if (fileIndex === 0 && line === 0 && methodIndex === 0) return 0;
    // neighbouring objects were often allocated at one site: one entry of memo
    if (fileIndex === this.lastFileIndex && line === this.lastLine && methodIndex === this.lastMethodIndex) return this.lastSite;
    const site = this.find(fileIndex, line, methodIndex);
    this.lastFileIndex = fileIndex;
    this.lastLine = line;
    this.lastMethodIndex = methodIndex;
    this.lastSite = site;
    return site;
  }

  private find(fileIndex: number, line: number, methodIndex: number): number {
    const mask = this.slots.length - 1;
    for (let slot = siteHash(fileIndex, line, methodIndex) & mask; ; slot = (slot + 1) & mask) {
      const site = this.slots[slot];
      if (site === 0) {
        const created = this.fileIndex.length;
        this.fileIndex.push(fileIndex);
        this.line.push(line);
        this.methodIndex.push(methodIndex);
        this.slots[slot] = created;
        if (created * 2 > this.slots.length) this.rehash();
        return created;
      }
      if (this.fileIndex.array[site] === fileIndex && this.line.array[site] === line && this.methodIndex.array[site] === methodIndex) {
        return site;
      }
    }
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let site = 1; site < this.fileIndex.length; site++) {
      let slot = siteHash(this.fileIndex.array[site], this.line.array[site], this.methodIndex.array[site]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = site;
    }
    this.slots = slots;
  }

  toTable(strings: string[]): SiteTable {
    return {
      fileIndex: this.fileIndex.trimmed(),
      line: this.line.trimmed(),
      methodIndex: this.methodIndex.trimmed(),
      strings,
      count: this.fileIndex.length,
    };
  }
}
