/**
 * The objects of one dump as a table (optionally only the instances of some
 * classes), sorted only as far as a page needs: the first pages (up to
 * TOP_K_LIMIT rows) come from one bounded top-k selection over the column,
 * O(n log k); deeper pages sort the candidate ordinals once and keep that
 * order. No JS object per heap object: candidates and orders are Uint32Arrays.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { formatAddress, siteLabelOf } from '../store/lookup.ts';
import { typeNameOf } from '../store/object-types.ts';
import type { RowsPage, TableColumn, TableInfo, TableRow, TableSort } from './engine-api.ts';
import { checkedRange, type TableSource } from './table-source.ts';

const TOP_K_LIMIT = 5000;

const COLUMNS: TableColumn[] = [
  { key: 'address', title: 'Address', kind: 'text', sortable: true },
  { key: 'type', title: 'Type', kind: 'text', sortable: false },
  { key: 'className', title: 'Class', kind: 'text', sortable: false },
  { key: 'location', title: 'Allocated at', kind: 'text', sortable: false },
  { key: 'memsizeBytes', title: 'Self bytes', kind: 'bytes', sortable: true },
  { key: 'retainedBytes', title: 'Retained bytes', kind: 'bytes', sortable: true },
  { key: 'size', title: 'Size', kind: 'number', sortable: true },
];

export class ObjectTable implements TableSource {
  private readonly candidates: Uint32Array;
  private readonly fullOrders = new Map<string, Uint32Array>();

  constructor(
    private readonly tableId: string,
    private readonly title: string,
    private readonly dump: HeapDump,
    /** 1 per class ordinal to include; null = every object */
    classFilter: Uint8Array | null,
    /** retained sizes when the dump has its graph, else null (the column shows null and cannot sort) */
    private readonly retainedBytes: () => Float64Array | null,
  ) {
    if (classFilter === null) {
      this.candidates = new Uint32Array(dump.objectCount);
      for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) this.candidates[ordinal] = ordinal;
    } else {
      let count = 0;
      for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) count += classFilter[dump.classOrdinal[ordinal]];
      this.candidates = new Uint32Array(count);
      let next = 0;
      for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) if (classFilter[dump.classOrdinal[ordinal]] === 1) this.candidates[next++] = ordinal;
    }
  }

  info(): TableInfo {
    return {
      tableId: this.tableId,
      title: this.title,
      rowCount: this.candidates.length,
      columns: COLUMNS,
      defaultSort: { key: 'memsizeBytes', descending: true },
    };
  }

  rows(begin: number, end: number, sort: TableSort | null): RowsPage {
    const range = checkedRange(this.info(), begin, end, sort);
    const order = range.sort ? this.orderFor(range.sort, range.end) : this.candidates;
    const rows: TableRow[] = [];
    const retained = this.retainedBytes();
    for (let position = range.begin; position < range.end; position++) {
      const ordinal = order[position];
      rows.push({
        address: formatAddress(this.dump.address[ordinal]),
        type: typeNameOf(this.dump.typeCode[ordinal]),
        className: this.dump.classes.names[this.dump.classOrdinal[ordinal]],
        location: siteLabelOf(this.dump, this.dump.siteOrdinal[ordinal]),
        memsizeBytes: this.dump.memsizeBytes[ordinal],
        retainedBytes: retained ? retained[ordinal] : null,
        size: this.dump.sizeField[ordinal],
      });
    }
    return { tableId: this.tableId, rowCount: this.candidates.length, begin: range.begin, end: range.end, sort: range.sort, rows };
  }

  private keyColumn(key: string): ArrayLike<number> {
    if (key === 'address') return this.dump.address;
    if (key === 'size') return this.dump.sizeField;
    if (key === 'retainedBytes') return this.retainedBytes() ?? this.dump.memsizeBytes;
    return this.dump.memsizeBytes;
  }

  /** Candidate ordinals in sort order, valid at least for positions [0, end). */
  private orderFor(sort: TableSort, end: number): Uint32Array {
    const cacheKey = `${sort.key}|${sort.descending}`;
    const full = this.fullOrders.get(cacheKey);
    if (full) return full;
    const column = this.keyColumn(sort.key);
    const sign = sort.descending ? -1 : 1;
    const before = (a: number, b: number): boolean => {
      const difference = sign * (column[a] - column[b]);
      return difference < 0 || (difference === 0 && a < b);
    };
    if (end <= TOP_K_LIMIT && end < this.candidates.length) return this.topK(end, before);
    const order = Uint32Array.from(this.candidates).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.fullOrders.set(cacheKey, order);
    return order;
  }

  /** The first `k` candidates in order, by binary insertion into a bounded sorted buffer. */
  private topK(k: number, before: (a: number, b: number) => boolean): Uint32Array {
    const kept = new Uint32Array(k);
    let size = 0;
    for (let i = 0; i < this.candidates.length; i++) {
      const ordinal = this.candidates[i];
      if (size === k && !before(ordinal, kept[size - 1])) continue;
      let low = 0;
      let high = size;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (before(kept[middle], ordinal)) low = middle + 1;
        else high = middle;
      }
      const last = Math.min(size, k - 1);
      kept.copyWithin(low + 1, low, last);
      kept[low] = ordinal;
      if (size < k) size++;
    }
    return kept;
  }
}
