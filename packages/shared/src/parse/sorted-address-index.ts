/**
 * Resolves addresses to object ordinals over the sorted addresses, replacing
 * a full-size hash table: Ruby objects live in 64 KiB heap pages with evenly
 * spaced slots, so a small hash from page number to the page's run in the
 * sorted addresses (a few thousand pages for millions of objects; it stays in
 * cache) plus an interpolation guess inside the run finds most addresses
 * with one probe into the sorted array. Misses are answered -1.
 * Equal addresses (a broken dump) resolve to the first in file order.
 */
import type { SortedAddresses } from '../store/address-order.ts';

const PAGE_BYTES = 65536;

export class SortedAddressIndex {
  private readonly sorted: Float64Array;
  private readonly order: Uint32Array | null;
  /** per page: [first index in sorted, end index, min address, max address] */
  private readonly pageFirst: Uint32Array;
  private readonly pageEnd: Uint32Array;
  /** open addressing: page number + 1 (0 = empty) and page index */
  private readonly slotPage: Float64Array;
  private readonly slotIndex: Uint32Array;
  private readonly mask: number;

  constructor({ order, sorted }: SortedAddresses) {
    this.sorted = sorted;
    this.order = order;
    let pageCount = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i === 0 || Math.floor(sorted[i] / PAGE_BYTES) !== Math.floor(sorted[i - 1] / PAGE_BYTES)) pageCount++;
    }
    this.pageFirst = new Uint32Array(pageCount);
    this.pageEnd = new Uint32Array(pageCount);
    let slots = 64;
    while (slots < pageCount * 2) slots *= 2;
    this.slotPage = new Float64Array(slots);
    this.slotIndex = new Uint32Array(slots);
    this.mask = slots - 1;
    let page = -1;
    for (let i = 0; i < sorted.length; i++) {
      const pageNumber = Math.floor(sorted[i] / PAGE_BYTES);
      if (page >= 0 && pageNumber === Math.floor(sorted[i - 1] / PAGE_BYTES)) continue;
      if (page >= 0) this.pageEnd[page] = i;
      page++;
      this.pageFirst[page] = i;
      let slot = this.slotOf(pageNumber);
      while (this.slotPage[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slotPage[slot] = pageNumber + 1;
      this.slotIndex[slot] = page;
    }
    if (page >= 0) this.pageEnd[page] = sorted.length;
  }

  private slotOf(pageNumber: number): number {
    const low = pageNumber >>> 0;
    const high = (pageNumber / 4294967296) >>> 0;
    const hash = Math.imul(low ^ Math.imul(high, 0x27d4eb2f), 0x9e3779b1);
    return (hash ^ (hash >>> 15)) & this.mask;
  }

  /** The ordinal of the object at `address`, or -1. */
  ordinalOf(address: number): number {
    const pageNumber = Math.floor(address / PAGE_BYTES);
    const key = pageNumber + 1;
    let slot = this.slotOf(pageNumber);
    for (;;) {
      const found = this.slotPage[slot];
      if (found === key) break;
      if (found === 0) return -1;
      slot = (slot + 1) & this.mask;
    }
    const page = this.slotIndex[slot];
    const sorted = this.sorted;
    const first = this.pageFirst[page];
    const last = this.pageEnd[page] - 1;
    const low = sorted[first];
    const high = sorted[last];
    let at = last > first && high > low ? first + Math.floor(((address - low) * (last - first)) / (high - low)) : first;
    if (at < first) at = first;
    else if (at > last) at = last;
    while (at < last && sorted[at] < address) at++;
    while (at > first && sorted[at] > address) at--;
    if (sorted[at] !== address) return -1;
    while (at > first && sorted[at - 1] === address) at--;
    return this.order === null ? at : this.order[at];
  }
}
