import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffDumps } from '../../src/diff/series-diff.ts';
import { buildDump, type BuilderObject } from '../graph/graph-builder.ts';

/** Random rows on few addresses, so addresses are reused with and without allocation info. */
const rowsArbitrary = fc
  .uniqueArray(
    fc.record({
      address: fc.integer({ min: 1, max: 24 }),
      type: fc.constantFrom('OBJECT', 'STRING'),
      className: fc.constantFrom('A', 'B'),
      traced: fc.boolean(),
      generation: fc.integer({ min: 1, max: 3 }),
      site: fc.constantFrom('a.rb:1', 'b.rb:2'),
    }),
    { selector: (row) => row.address, maxLength: 20 },
  )
  .map((rows) => [...rows].sort((a, b) => a.address - b.address));

type Row = { address: number; type: string; className: string; traced: boolean; generation: number; site: string };

const toObjects = (rows: Row[]): BuilderObject[] =>
  rows.map((row) => ({
    address: row.address * 8,
    type: row.type,
    className: row.className,
    ...(row.traced ? { generation: row.generation, site: row.site } : {}),
  }));

/** The identity rule of the issue, written the obvious way. */
function sameObject(a: Row, b: Row): boolean {
  if (a.address !== b.address || a.type !== b.type || a.traced !== b.traced) return false;
  return a.traced ? a.generation === b.generation && a.site === b.site : a.className === b.className;
}

describe('diffDumps identity', () => {
  it('agrees with the naive composite-key rule on random dumps with reused addresses', () => {
    fc.assert(
      fc.property(rowsArbitrary, rowsArbitrary, rowsArbitrary, (before, after, later) => {
        const result = diffDumps(buildDump({ objects: toObjects(before) }), buildDump({ objects: toObjects(after) }), buildDump({ objects: toObjects(later) }));
        const isNew = after.filter((row) => !before.some((old) => sameObject(old, row)));
        const freed = before.filter((row) => !after.some((next) => sameObject(row, next)));
        const retained = isNew.filter((row) => later.some((next) => sameObject(row, next)));
        expect(result.new.count).toBe(isNew.length);
        expect(result.freed.count).toBe(freed.length);
        expect(result.retained?.count).toBe(retained.length);
        const weakPairs = [
          ...after.filter((row) => !row.traced && before.some((old) => sameObject(old, row))),
          ...after.filter((row) => !row.traced && later.some((next) => sameObject(row, next))),
        ];
        expect(result.identity.weak).toBe(weakPairs.length);
      }),
      { numRuns: 300 },
    );
  });
});
