import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSlotTable } from '../../src/parse/address-slot-table.ts';
import { addressOrderOf } from '../../src/diff/identity-keys.ts';
import { ascendingRunsOf } from '../../src/store/address-runs.ts';
import { NO_ORDINAL } from '../../src/store/heap-dump.ts';
import { formatAddress, ordinalOfAddress, referencesOf } from '../../src/store/lookup.ts';
import { parseBytes, textLines } from './dump-files.ts';

const PAGE = 65536;
const BASE = 0x7f0000000000;

/** Distinct Ruby-shaped addresses: a few 64 KiB pages, slots of 40/80/160 bytes from a page's first slot, in shuffled order. */
const rubyLikeColumn = fc
  .uniqueArray(
    fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(0x18, 0x40, 0x28), fc.integer({ min: 0, max: 400 }), fc.constantFrom(40, 80, 160))
      .map(([page, header, slot, size]) => BASE + page * 3 * PAGE + header + ((slot * size) % 65000)),
    { minLength: 1, maxLength: 400 },
  )
  // one header per page, as in Ruby: keep the addresses on the grid of their page's first one
  .map((addresses) => {
    const headerOfPage = new Map<number, number>();
    return addresses.filter((address) => {
      const page = Math.floor(address / PAGE);
      const header = (address - page * PAGE) % 40;
      if (!headerOfPage.has(page)) headerOfPage.set(page, header);
      return headerOfPage.get(page) === header;
    });
  });

const probe = fc.oneof(
  fc.tuple(fc.integer({ min: -1, max: 6 }), fc.integer({ min: 0, max: PAGE - 1 })).map(([page, offset]) => BASE + page * 3 * PAGE + offset),
  fc.constantFrom(0, 8, 2 ** 47, BASE - 40),
);

function ordinalMap(addresses: number[]): Map<number, number> {
  return new Map(addresses.map((address, ordinal) => [address, ordinal]));
}

describe('AddressSlotTable', () => {
  it('finds the ordinal of every Ruby-shaped address and -1 for any other address, like a Map', () => {
    fc.assert(
      fc.property(rubyLikeColumn, fc.array(probe, { maxLength: 200 }), (addresses, probes) => {
        const table = AddressSlotTable.build(Float64Array.from(addresses));
        expect(table).not.toBe(null);
        const expected = ordinalMap(addresses);
        for (const address of [...addresses, ...probes]) expect(table?.ordinalOf(address)).toBe(expected.get(address) ?? -1);
        const batch = Float64Array.from([...probes, ...addresses]);
        const target = new Uint32Array(batch.length);
        table?.resolveAll(batch, batch.length, target, 0xffffffff);
        expect(Array.from(target)).toEqual(Array.from(batch, (address) => expected.get(address) ?? 0xffffffff));
      }),
      { numRuns: 300 },
    );
  });

  it('builds the same table from the runs of the column as from every address, when each page was written in one piece', () => {
    fc.assert(
      fc.property(rubyLikeColumn, fc.integer(), fc.array(probe, { maxLength: 100 }), (addresses, seed, probes) => {
        // each page's addresses ascending, the pages in a seeded order
        const byPage = new Map<number, number[]>();
        for (const address of addresses) byPage.set(Math.floor(address / PAGE), [...(byPage.get(Math.floor(address / PAGE)) ?? []), address]);
        const pages = [...byPage.values()].map((page) => page.sort((a, b) => a - b));
        const written = pages.map((page, i) => ({ page, key: Math.imul(i + 1, seed | 1) >>> 0 })).sort((a, b) => a.key - b.key).flatMap(({ page }) => page);
        const column = Float64Array.from(written);
        const runs = ascendingRunsOf(column);
        if (runs === null || runs === undefined) return;
        const fromRuns = AddressSlotTable.build(column, { runs });
        const fromAddresses = AddressSlotTable.build(column);
        expect(fromRuns).not.toBe(null);
        // the same cells, and the same pages in address order (page indexes may be numbered otherwise)
        const pagesInOrder = (table: AddressSlotTable | null) => {
          const state = table?.state;
          return Array.from(state?.pagesInAddressOrder ?? [], (page) => [state?.pageLow[page], state?.pageCellBase[page], state?.pageCellCount[page]]);
        };
        expect(Array.from(fromRuns?.state.cells ?? [])).toEqual(Array.from(fromAddresses?.state.cells ?? []));
        expect(pagesInOrder(fromRuns)).toEqual(pagesInOrder(fromAddresses));
        const expected = ordinalMap(written);
        for (const address of [...written, ...probes]) expect(fromRuns?.ordinalOf(address)).toBe(expected.get(address) ?? -1);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses from runs what it refuses from addresses: an address off the 40-byte grid of its page', () => {
    const column = Float64Array.from([BASE + 2 * PAGE + 0x40, BASE + 2 * PAGE + 0x68, BASE + 0x40, BASE + 0x50]);
    const runs = ascendingRunsOf(column);
    expect(runs).toBeTruthy();
    expect(AddressSlotTable.build(column, { runs })).toBe(null);
    expect(AddressSlotTable.build(column)).toBe(null);
  });

  it('resolves batches longer than one block (resolveAll works in blocks of 16,384) exactly like single lookups', () => {
    fc.assert(
      fc.property(rubyLikeColumn, fc.integer({ min: 16_380, max: 40_000 }), fc.integer({ min: 0, max: 2 ** 31 }), (addresses, length, seed) => {
        const table = AddressSlotTable.build(Float64Array.from(addresses));
        const expected = ordinalMap(addresses);
        // a deterministic mix of present addresses and probes, from the seed
        let state = seed | 1;
        const batch = Float64Array.from({ length }, () => {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          return state % 5 === 0 ? BASE + (state % (7 * PAGE)) : addresses[state % addresses.length];
        });
        const target = new Uint32Array(length);
        table?.resolveAll(batch, length, target, 0xffffffff);
        for (let i = 0; i < length; i++) {
          if (target[i] !== (expected.get(batch[i]) ?? 0xffffffff)) expect({ i, address: batch[i], got: target[i] }).toEqual({ i, address: batch[i], got: expected.get(batch[i]) ?? 0xffffffff });
        }
      }),
      { numRuns: 20 },
    );
  });

  it('gives the ordinals in address order, or null when the column already ascends', () => {
    fc.assert(
      fc.property(rubyLikeColumn, (addresses) => {
        const expected = addresses.map((_, ordinal) => ordinal).sort((a, b) => addresses[a] - addresses[b]);
        const ascending = expected.every((ordinal, at) => ordinal === at);
        const order = AddressSlotTable.build(Float64Array.from(addresses))?.ordinalsByAddress();
        expect(order === null ? null : Array.from(order ?? [])).toEqual(ascending ? null : expected);
        const sorted = Float64Array.from(addresses).sort();
        expect(AddressSlotTable.build(sorted)?.ordinalsByAddress()).toBe(null);
      }),
      { numRuns: 200 },
    );
  });

  it('answers -1 for a free slot, an address off the slot grid and one past the last object of an occupied page', () => {
    const table = AddressSlotTable.build(Float64Array.from([BASE + 0x40, BASE + 0x40 + 80, BASE + 0x40 + 400]));
    expect(table?.ordinalOf(BASE + 0x40 + 80)).toBe(1);
    expect(table?.ordinalOf(BASE + 0x40 + 40)).toBe(-1);
    expect(table?.ordinalOf(BASE + 0x40 + 88)).toBe(-1);
    expect(table?.ordinalOf(BASE + 0x40 + 440)).toBe(-1);
    expect(table?.ordinalOf(BASE + 0x40 - 40)).toBe(-1);
  });

  it('refuses addresses it cannot index exactly: repeated, off a 40-byte grid, or scattered one per page', () => {
    expect(AddressSlotTable.build(Float64Array.from([BASE + 0x40, BASE + 0x68, BASE + 0x40]))).toBe(null);
    expect(AddressSlotTable.build(Float64Array.from([8, 16, 24]))).toBe(null);
    // 100 pages with one object at each end: 1,626 cells for every 2 objects
    const scattered = Float64Array.from({ length: 200 }, (_, at) => BASE + (at >> 1) * PAGE + 0x40 + (at & 1) * 65000);
    expect(AddressSlotTable.build(scattered)).toBe(null);
  });
});

const objectLine = (address: string, references: string[]): string =>
  JSON.stringify({ address, type: 'OBJECT', class: '0x7f0000001000', references, memsize: 40, flags: { wb_protected: true } });

describe('reference resolution in a parsed dump', () => {
  it('counts a reference to a free slot of an occupied page as dangling and resolves the others (Ruby-shaped addresses)', async () => {
    const dump = await parseBytes(
      textLines(
        objectLine('0x7f0000010040', ['0x7f00000100b8', '0x7f0000010068', '0x7f0000010090']),
        objectLine('0x7f00000100b8', ['0x7f0000010040', '0x7f0000010044']),
        objectLine('0x7f0000010068', []),
      ),
    );
    expect(dump.objectCount).toBe(3);
    expect(Array.from(referencesOf(dump, 0))).toEqual([1, 2]);
    expect(Array.from(referencesOf(dump, 1))).toEqual([0]);
    expect(dump.stats.danglingReferenceCount).toBe(2);
    expect(Array.from(dump.ordinalsByAddress ?? [])).toEqual([0, 2, 1]);
  });

  it('keeps the address order as runs when Ruby wrote its pages out of order, with no ordinal per object', async () => {
    // page 0x7f0000020000 written before page 0x7f0000010000, each ascending
    const addresses = ['0x7f0000020040', '0x7f0000020068', '0x7f0000010040', '0x7f0000010090', '0x7f00000100b8'];
    const dump = await parseBytes(textLines(...addresses.map((address) => objectLine(address, ['0x7f0000010090']))));
    expect(dump.ordinalsByAddress).toBeNull();
    expect(dump.addressRuns && Array.from(dump.addressRuns.start)).toEqual([2, 0]);
    expect(Array.from(addressOrderOf(dump) ?? [])).toEqual([2, 3, 4, 0, 1]);
    addresses.forEach((address, ordinal) => expect(formatAddress(dump.address[ordinalOfAddress(dump, Number(address))])).toBe(addresses[ordinal]));
    expect(ordinalOfAddress(dump, 0x7f0000010068)).toBe(NO_ORDINAL);
    expect(Array.from(referencesOf(dump, 0))).toEqual([3]);
  });

  it('keeps the references of the objects before the first dangling one and compacts those after it', async () => {
    const dump = await parseBytes(
      textLines(
        objectLine('0x7f0000010040', ['0x7f0000010068']),
        objectLine('0x7f0000010068', []),
        objectLine('0x7f0000010090', []),
        objectLine('0x7f00000100b8', ['0x7f0000010040', '0x7f0000020040', '0x7f0000010090']),
        objectLine('0x7f00000100e0', ['0x7f00000100b8', '0x7f0000010108']),
        objectLine('0x7f0000010130', ['0x7f0000010068']),
      ),
    );
    expect(Array.from({ length: 6 }, (_, ordinal) => Array.from(referencesOf(dump, ordinal)))).toEqual([[1], [], [], [0, 2], [3], [1]]);
    expect(Array.from(dump.firstReferenceOffset)).toEqual([0, 1, 1, 1, 3, 4, 5]);
    expect(dump.stats.danglingReferenceCount).toBe(2);
  });

  it('resolves addresses that are not Ruby-page-shaped (8 bytes apart, repeated) through the sorted addresses', async () => {
    const dump = await parseBytes(
      textLines(objectLine('0x18', ['0x8', '0x10', '0x20']), objectLine('0x8', ['0x18']), objectLine('0x10', ['0x18', '0x28']), objectLine('0x8', [])),
    );
    expect(dump.objectCount).toBe(4);
    expect(Array.from(referencesOf(dump, 0))).toEqual([1, 2]);
    expect(Array.from(referencesOf(dump, 2))).toEqual([0]);
    expect(dump.stats.danglingReferenceCount).toBe(2);
    expect(Array.from(dump.ordinalsByAddress ?? [])).toEqual([1, 3, 2, 0]);
    expect(dump.problems.countByReason['duplicate-address']).toBe(1);
  });
});
