/**
 * Resolves addresses to object ordinals through a direct table of heap slots,
 * for dumps whose addresses are shaped like Ruby's: objects live in 64 KiB
 * heap pages, in slots whose sizes are multiples of 40 bytes (RVALUE on
 * 64-bit Ruby; the 3.2+ size pools use 40, 80, 160, 320 and 640). Each page
 * that holds objects gets a run of cells, one per 40 bytes from its lowest
 * object address (`pageLow`) to its highest, and cell
 * `pageCellBase[page] + (address - pageLow[page]) / 40` holds `ordinal + 1`
 * (0: free slot). An address is found in one read of one cell, after a page
 * lookup in a small hash that stays in cache; the probes of the sorted
 * addresses this replaces cost ~80 ns a reference on the 1 GB bench dump,
 * a lookup here 20-30 ns, mostly the cache miss of the cell read (5 ns a
 * reference when the references come sorted). Tried and dropped: 16-bit
 * cells (page-relative ordinals) and a two-loop block variant, neither
 * measurably faster on this box.
 *
 * Invariant, which makes a lookup exact without reading the address column:
 * every object of a page lies on its page's 40-byte grid and no two objects
 * share a cell, so cell c of a page can only hold the object at
 * `pageLow + 40 c`. An address off the grid, outside its page's run, on a
 * page without objects or on a free cell is absent from the dump (a dangling
 * reference). `build` returns null when the dump breaks the invariant (two
 * objects at one address, addresses not 40 bytes apart: synthetic dumps, a
 * 32-bit Ruby) or the cells would outnumber the objects by far (addresses
 * scattered over many pages); the caller then uses the SortedAddressIndex.
 *
 * The cells, read in page order, also give the ordinals in address order
 * (`ordinalsByAddress`) without sorting the objects. Built with
 * `sharedCells`, the table can be handed to another thread (`state`,
 * `fromState`) without copying the cells.
 */
import { PAGE_BYTES, type AddressRuns } from '../store/address-runs.ts';

/** the slot grid: every Ruby slot size is a multiple of it */
const GRID_BYTES = 40;
/** cells allowed per object before the table counts as too sparse */
const MAX_CELLS_PER_OBJECT = 4;
/** a small dump may use this many cells whatever its object count (a few pages) */
const MIN_CELL_ALLOWANCE = 1 << 16;
const EMPTY_CELL = 0;
/** references per resolveBlock call (see resolveAll) */
const RESOLVE_BLOCK = 16384;

/**
 * A table as plain data, to hand to another thread: posting it copies the
 * small page arrays and, when the table was built with `sharedCells`, shares
 * the cells (a SharedArrayBuffer) instead of copying them.
 */
export interface SlotTableState {
  slotPage: Float64Array;
  slotIndex: Uint32Array;
  mask: number;
  pageLow: Float64Array;
  pageCellBase: Uint32Array;
  pageCellCount: Uint32Array;
  pagesInAddressOrder: Uint32Array;
  cells: Uint32Array;
  objectCount: number;
  ascending: boolean;
}

export class AddressSlotTable {
  /** page hash, open addressing: page number + 1 (0 = empty slot) and page index */
  private readonly slotPage: Float64Array;
  private readonly slotIndex: Uint32Array;
  private readonly mask: number;
  /** per page index (in first-seen order): lowest object address, cell run start and length */
  private readonly pageLow: Float64Array;
  private readonly pageCellBase: Uint32Array;
  private readonly pageCellCount: Uint32Array;
  /** page indexes in ascending address order */
  private readonly pagesInAddressOrder: Uint32Array;
  /** ordinal + 1 per 40-byte cell, EMPTY_CELL for a free slot */
  private readonly cells: Uint32Array;
  private readonly objectCount: number;
  /** the address column ascends (file order is address order) */
  private readonly ascending: boolean;

  private constructor(state: SlotTableState) {
    this.slotPage = state.slotPage;
    this.slotIndex = state.slotIndex;
    this.mask = state.mask;
    this.pageLow = state.pageLow;
    this.pageCellBase = state.pageCellBase;
    this.pageCellCount = state.pageCellCount;
    this.pagesInAddressOrder = state.pagesInAddressOrder;
    this.cells = state.cells;
    this.objectCount = state.objectCount;
    this.ascending = state.ascending;
  }

  /** A table from the `state` of one built on another thread. */
  static fromState(state: SlotTableState): AddressSlotTable {
    return new AddressSlotTable(state);
  }

  get state(): SlotTableState {
    const { slotPage, slotIndex, mask, pageLow, pageCellBase, pageCellCount, pagesInAddressOrder, cells, objectCount, ascending } = this;
    return { slotPage, slotIndex, mask, pageLow, pageCellBase, pageCellCount, pagesInAddressOrder, cells, objectCount, ascending };
  }

  /**
   * The table for `address` (the object column), or null when the addresses
   * are not Ruby-page-shaped (see the header). `sharedCells` puts the cells
   * on a SharedArrayBuffer (see `state`). `runs`: the column's ascending runs
   * (store/address-runs.ts) when the caller has them: the pages are then
   * measured from the runs' ends instead of from every address, and the
   * cells filled run by run, in address order (the build of the 1 GB bench
   * dump's table at the parse's finish: 52-75 ms instead of 77-100 ms).
   */
  static build(address: Float64Array, options: { sharedCells?: boolean; runs?: AddressRuns | null } = {}): AddressSlotTable | null {
    const runs = options.runs ?? null;
    const pages = runs !== null ? PageRuns.fromRuns(address, runs) : PageRuns.measure(address);
    if (pages === null) return null;
    const cells = options.sharedCells ? new Uint32Array(new SharedArrayBuffer(pages.totalCells * 4)) : new Uint32Array(pages.totalCells);
    if (runs !== null) {
      for (let run = 0; run < runs.start.length; run++) {
        const page = pages.indexOf(Math.floor(address[runs.start[run]] / PAGE_BYTES));
        if (!fillRun(address, runs.start[run], runs.end[run], pages.low[page], pages.cellBase[page], cells)) return null;
      }
      return AddressSlotTable.of(pages, cells, address.length, false);
    }
    let lastPageNumber = -1;
    let low = 0;
    let cellBase = 0;
    let ascending = true;
    for (let ordinal = 0; ordinal < address.length; ordinal++) {
      const value = address[ordinal];
      const pageNumber = Math.floor(value / PAGE_BYTES);
      // Ruby writes a page's objects together: one hash lookup per run
      if (ordinal > 0 && value < address[ordinal - 1]) ascending = false;
      if (pageNumber !== lastPageNumber) {
        const page = pages.indexOf(pageNumber);
        low = pages.low[page];
        cellBase = pages.cellBase[page];
        lastPageNumber = pageNumber;
      }
      const offset = value - low;
      const slot = Math.floor(offset / GRID_BYTES);
      if (slot * GRID_BYTES !== offset) return null;
      const cell = cellBase + slot;
      if (cells[cell] !== EMPTY_CELL) return null;
      cells[cell] = ordinal + 1;
    }
    return AddressSlotTable.of(pages, cells, address.length, ascending);
  }

  private static of(pages: PageRuns, cells: Uint32Array, objectCount: number, ascending: boolean): AddressSlotTable {
    return new AddressSlotTable({
      slotPage: pages.slotPage,
      slotIndex: pages.slotIndex,
      mask: pages.mask,
      pageLow: pages.low,
      pageCellBase: pages.cellBase,
      pageCellCount: pages.cellCount,
      pagesInAddressOrder: pages.inAddressOrder,
      cells,
      objectCount,
      ascending,
    });
  }

  /** The ordinal of the object at `address`, or -1. */
  ordinalOf(address: number): number {
    const page = this.pageOf(Math.floor(address / PAGE_BYTES));
    if (page === -1) return -1;
    const offset = address - this.pageLow[page];
    const slot = Math.floor(offset / GRID_BYTES);
    if (slot < 0 || slot >= this.pageCellCount[page] || slot * GRID_BYTES !== offset) return -1;
    return this.cells[this.pageCellBase[page] + slot] - 1;
  }

  /**
   * Writes the ordinal of each `addresses[i]`, i in [0, count), to
   * `target[i]`, or `missing` for an address not in the dump. The lookups
   * are independent, so the CPU overlaps their cell reads; the page of the
   * last lookup is kept, since half the references of a Rails heap point
   * into the same page as the reference before (objects allocated together).
   *
   * Done in blocks of RESOLVE_BLOCK references, one call each: a single
   * call over millions ran in V8's on-stack-replacement code, which was
   * ~20 % slower on this loop than the function compiled after a few calls
   * (213-219 ms against 177-186 ms for the 7.4 M references of the 1 GB
   * bench dump).
   */
  resolveAll(addresses: Float64Array, count: number, target: Uint32Array, missing: number): void {
    for (let from = 0; from < count; from += RESOLVE_BLOCK) this.resolveBlock(addresses, from, Math.min(count, from + RESOLVE_BLOCK), target, missing);
  }

  private resolveBlock(addresses: Float64Array, from: number, to: number, target: Uint32Array, missing: number): void {
    const cells = this.cells;
    let lastPageNumber = -1;
    let low = 0;
    let cellBase = 0;
    /** 0 for a page without objects: every slot is out of range */
    let cellCount = 0;
    for (let i = from; i < to; i++) {
      const address = addresses[i];
      const pageNumber = Math.floor(address / PAGE_BYTES);
      if (pageNumber !== lastPageNumber) {
        lastPageNumber = pageNumber;
        const page = this.pageOf(pageNumber);
        cellCount = page === -1 ? 0 : this.pageCellCount[page];
        if (page !== -1) {
          low = this.pageLow[page];
          cellBase = this.pageCellBase[page];
        }
      }
      // same page: |offset| < 2^16, so int32 arithmetic is exact
      const offset = (address - low) | 0;
      const slot = (offset / GRID_BYTES) | 0;
      const found = offset >= 0 && slot < cellCount && slot * GRID_BYTES === offset ? cells[cellBase + slot] : EMPTY_CELL;
      target[i] = found === EMPTY_CELL ? missing : found - 1;
    }
  }

  /**
   * Ordinals in ascending address order (the cells read page by page), or
   * null when the address column already ascends (HeapDump.ordinalsByAddress).
   */
  ordinalsByAddress(): Uint32Array | null {
    if (this.ascending) return null;
    const order = new Uint32Array(this.objectCount);
    const cells = this.cells;
    let writeAt = 0;
    for (const page of this.pagesInAddressOrder) {
      const end = this.pageCellBase[page] + this.pageCellCount[page];
      for (let cell = this.pageCellBase[page]; cell < end; cell++) {
        if (cells[cell] !== EMPTY_CELL) order[writeAt++] = cells[cell] - 1;
      }
    }
    return order;
  }

  private pageOf(pageNumber: number): number {
    const key = pageNumber + 1;
    for (let slot = hashPage(pageNumber, this.mask); ; slot = (slot + 1) & this.mask) {
      const found = this.slotPage[slot];
      if (found === key) return this.slotIndex[slot];
      if (found === 0) return -1;
    }
  }
}

/**
 * Fills the cells of the run `address[from, to)` (ascending, on one page
 * whose lowest address is `low` and first cell `cellBase`); false when an
 * address is off the 40-byte grid or repeats (see the header). One call a
 * run: a single loop over millions of objects runs in V8's on-stack-
 * replacement code (see resolveAll).
 */
function fillRun(address: Float64Array, from: number, to: number, low: number, cellBase: number, cells: Uint32Array): boolean {
  for (let ordinal = from; ordinal < to; ordinal++) {
    const offset = address[ordinal] - low;
    const slot = Math.floor(offset / GRID_BYTES);
    if (slot * GRID_BYTES !== offset) return false;
    const cell = cellBase + slot;
    if (cells[cell] !== EMPTY_CELL) return false;
    cells[cell] = ordinal + 1;
  }
  return true;
}

/** The slot of a page number in an open-addressing table of `mask + 1` slots (page numbers reach 2^37). */
export function hashPage(pageNumber: number, mask: number): number {
  const low = pageNumber >>> 0;
  const high = (pageNumber / 4294967296) >>> 0;
  const hash = Math.imul(low ^ Math.imul(high, 0x27d4eb2f), 0x9e3779b1);
  return (hash ^ (hash >>> 15)) & mask;
}

/**
 * The pages of a dump, from one pass over the address column: each page's
 * lowest and highest object address, a hash from page number to page index,
 * and the cell runs laid out in address order.
 */
class PageRuns {
  slotPage = new Float64Array(64);
  slotIndex = new Uint32Array(64);
  mask = 63;
  count = 0;
  low = new Float64Array(16);
  high = new Float64Array(16);
  cellBase = new Uint32Array(0);
  cellCount = new Uint32Array(0);
  inAddressOrder = new Uint32Array(0);
  totalCells = 0;

  /** The pages of `address`, or null when their cells would be too sparse (or an address is not a non-negative integer). */
  static measure(address: Float64Array): PageRuns | null {
    const pages = new PageRuns();
    const maxCells = PageRuns.cellLimit(address.length);
    const maxPages = Math.floor(maxCells / 2);
    let lastPageNumber = -1;
    let page = -1;
    for (let ordinal = 0; ordinal < address.length; ordinal++) {
      const value = address[ordinal];
      if (!(value >= 0 && Number.isSafeInteger(value))) return null;
      const pageNumber = Math.floor(value / PAGE_BYTES);
      if (pageNumber !== lastPageNumber) {
        page = pages.indexOrInsert(pageNumber, value);
        if (pages.count > maxPages) return null;
        lastPageNumber = pageNumber;
      }
      if (value < pages.low[page]) pages.low[page] = value;
      else if (value > pages.high[page]) pages.high[page] = value;
    }
    return pages.finish(maxCells);
  }

  /**
   * The pages of a column from its ascending runs (each on one page: runs
   * end where the page changes), reading only each run's first and last
   * address; null as `measure` gives it.
   */
  static fromRuns(address: Float64Array, runs: AddressRuns): PageRuns | null {
    const pages = new PageRuns();
    const maxCells = PageRuns.cellLimit(address.length);
    const maxPages = Math.floor(maxCells / 2);
    for (let run = 0; run < runs.start.length; run++) {
      const first = address[runs.start[run]];
      const last = address[runs.end[run] - 1];
      if (!(first >= 0 && Number.isSafeInteger(first) && Number.isSafeInteger(last))) return null;
      const page = pages.indexOrInsert(Math.floor(first / PAGE_BYTES), first);
      if (pages.count > maxPages) return null;
      if (first < pages.low[page]) pages.low[page] = first;
      if (last > pages.high[page]) pages.high[page] = last;
    }
    return pages.finish(maxCells);
  }

  /** the cells a table of `objectCount` objects may use before it counts as too sparse */
  private static cellLimit(objectCount: number): number {
    return Math.max(MIN_CELL_ALLOWANCE, objectCount * MAX_CELLS_PER_OBJECT);
  }

  /** Lays the cells out once every page is known; null when they pass `maxCells`. */
  private finish(maxCells: number): PageRuns | null {
    this.low = this.low.slice(0, this.count);
    this.layOutCells();
    return this.totalCells > maxCells ? null : this;
  }

  indexOf(pageNumber: number): number {
    const key = pageNumber + 1;
    let slot = hashPage(pageNumber, this.mask);
    while (this.slotPage[slot] !== key) slot = (slot + 1) & this.mask;
    return this.slotIndex[slot];
  }

  private indexOrInsert(pageNumber: number, firstAddress: number): number {
    const key = pageNumber + 1;
    let slot = hashPage(pageNumber, this.mask);
    for (;;) {
      const found = this.slotPage[slot];
      if (found === key) return this.slotIndex[slot];
      if (found === 0) break;
      slot = (slot + 1) & this.mask;
    }
    const page = this.count++;
    if (page === this.low.length) {
      this.low = grow(this.low);
      this.high = grow(this.high);
    }
    this.low[page] = firstAddress;
    this.high[page] = firstAddress;
    this.slotPage[slot] = key;
    this.slotIndex[slot] = page;
    if (this.count * 2 > this.mask + 1) this.rehash();
    return page;
  }

  private rehash(): void {
    const oldPage = this.slotPage;
    const oldIndex = this.slotIndex;
    this.slotPage = new Float64Array(oldPage.length * 2);
    this.slotIndex = new Uint32Array(oldPage.length * 2);
    this.mask = oldPage.length * 2 - 1;
    for (let at = 0; at < oldPage.length; at++) {
      if (oldPage[at] === 0) continue;
      let slot = hashPage(oldPage[at] - 1, this.mask);
      while (this.slotPage[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slotPage[slot] = oldPage[at];
      this.slotIndex[slot] = oldIndex[at];
    }
  }

  /** Cell runs in ascending page order, so reading the cells in order reads the addresses in order. */
  private layOutCells(): void {
    const order = new Uint32Array(this.count);
    for (let page = 0; page < this.count; page++) order[page] = page;
    order.sort((a, b) => this.low[a] - this.low[b]);
    this.inAddressOrder = order;
    this.cellBase = new Uint32Array(this.count);
    this.cellCount = new Uint32Array(this.count);
    let total = 0;
    for (const page of order) {
      this.cellBase[page] = total;
      this.cellCount[page] = Math.floor((this.high[page] - this.low[page]) / GRID_BYTES) + 1;
      total += this.cellCount[page];
    }
    this.totalCells = total;
  }
}

function grow(column: Float64Array): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(column.length * 2);
  grown.set(column);
  return grown;
}
