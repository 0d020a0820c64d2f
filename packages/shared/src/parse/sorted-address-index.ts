/**
 * The fallback of AddressSlotTable (see finish-dump.ts), for addresses not
 * shaped like Ruby's heap pages.
 * Resolves addresses to object ordinals over the sorted addresses, replacing
 * a full-size hash table: Ruby objects live in 64 KiB heap pages with evenly
 * spaced slots, so a small hash from page number to the page's run in the
 * sorted addresses (a few thousand pages for millions of objects; it stays in
 * cache) plus an interpolation guess inside the run finds most addresses
 * with one probe into the sorted array. Misses are answered -1.
 * Equal addresses (a broken dump) resolve to the first in file order.
 *
 * `resolveAll` answers many addresses in blocks, in two loops: guesses first
 * (small tables only), then the probes into the large sorted column and the
 * order. The probes of one block are independent, so the CPU overlaps their
 * cache misses; one lookup at a time was a chain of dependent misses
 * (~100 ns a reference on the 1 GB bench dump).
 */
import type { SortedAddresses } from '../store/address-order.ts';
import { PAGE_BYTES } from '../store/address-runs.ts';
import { hashPage } from './address-slot-table.ts';

/** addresses per resolveAll block: the guesses stay in cache */
const BLOCK = 1024;

export class SortedAddressIndex {
  private readonly sorted: Float64Array;
  private readonly order: Uint32Array | null;
  /** per page: first index in sorted, end index, lowest and highest address */
  private readonly pageFirst: Uint32Array;
  private readonly pageEnd: Uint32Array;
  /** kept beside the run so a guess reads no cache line of `sorted` */
  private readonly pageLow: Float64Array;
  private readonly pageHigh: Float64Array;
  /** resolveAll's guesses for one block (-1: no such page) */
  private readonly guess = new Int32Array(BLOCK);
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
    this.pageLow = new Float64Array(pageCount);
    this.pageHigh = new Float64Array(pageCount);
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
    for (let at = 0; at <= page; at++) {
      this.pageLow[at] = sorted[this.pageFirst[at]];
      this.pageHigh[at] = sorted[this.pageEnd[at] - 1];
    }
  }

  private slotOf(pageNumber: number): number {
    return hashPage(pageNumber, this.mask);
  }

  /** The ordinal of the object at `address`, or -1. */
  ordinalOf(address: number): number {
    const at = this.guessOf(address);
    return at === -1 ? -1 : this.probe(address, at);
  }

  /**
   * Writes the ordinal of each `addresses[i]`, i in [0, count), to
   * `target[i]`, or `missing` for an address not in the dump.
   */
  resolveAll(addresses: Float64Array, count: number, target: Uint32Array, missing: number): void {
    const guess = this.guess;
    for (let blockStart = 0; blockStart < count; blockStart += BLOCK) {
      const blockEnd = Math.min(count, blockStart + BLOCK);
      for (let i = blockStart; i < blockEnd; i++) guess[i - blockStart] = this.guessOf(addresses[i]);
      for (let i = blockStart; i < blockEnd; i++) {
        const at = guess[i - blockStart];
        const ordinal = at === -1 ? -1 : this.probe(addresses[i], at);
        target[i] = ordinal === -1 ? missing : ordinal;
      }
    }
  }

  /** The interpolated index of `address` in its page's run of `sorted`, or -1 when no object lives on that page. */
  private guessOf(address: number): number {
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
    const first = this.pageFirst[page];
    const last = this.pageEnd[page] - 1;
    const low = this.pageLow[page];
    const high = this.pageHigh[page];
    let at = last > first && high > low ? first + Math.floor(((address - low) * (last - first)) / (high - low)) : first;
    if (at < first) at = first;
    else if (at > last) at = last;
    return at;
  }

  /**
   * From the guess `at` (inside the address's page run), the ordinal of
   * `address` or -1. The walk needs no page bounds: `sorted` ascends
   * throughout, so it stops at the address or its neighbours either way.
   */
  private probe(address: number, at: number): number {
    const sorted = this.sorted;
    let index = at;
    while (index + 1 < sorted.length && sorted[index] < address) index++;
    while (index > 0 && sorted[index] > address) index--;
    if (sorted[index] !== address) return -1;
    while (index > 0 && sorted[index - 1] === address) index--;
    return this.order === null ? index : this.order[index];
  }
}
