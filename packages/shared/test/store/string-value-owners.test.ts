import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeOwners, OWNER_FAR, ownerOfRow, ownersOfRows, rowOfOwner } from '../../src/store/string-value-owners.ts';

/** Ascending owners whose gaps include the byte's edge (254, 255, 256) and far jumps. */
const ascendingOwners = fc
  .array(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(253, 254, 255, 256), fc.integer({ min: 257, max: 5_000_000 })), { maxLength: 400 })
  .chain((gaps) => fc.integer({ min: 0, max: 1000 }).map((first) => gaps.reduce<number[]>((owners, gap) => [...owners, owners[owners.length - 1] + gap], [first])));

describe('string value owners', () => {
  it('finds every owner by row and every row by owner, and no row for an ordinal that owns none', () => {
    fc.assert(
      fc.property(ascendingOwners, (owners) => {
        const values = { count: owners.length, ...encodeOwners(owners) };
        expect(Array.from(ownersOfRows(values))).toEqual(owners);
        owners.forEach((owner, row) => {
          expect(ownerOfRow(values, row)).toBe(owner);
          expect(rowOfOwner(values, owner)).toBe(row);
          // the ordinals on either side own nothing unless they are the neighbours
          if (!owners.includes(owner + 1)) expect(rowOfOwner(values, owner + 1)).toBe(-1);
          if (owner > 0 && !owners.includes(owner - 1)) expect(rowOfOwner(values, owner - 1)).toBe(-1);
        });
        expect(rowOfOwner(values, owners[owners.length - 1] + 1_000_000)).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });

  it('lists a row as far exactly when it is 255 or more past the row before, checkpoint rows aside', () => {
    const owners = [0, 254, 509, 510, ...Array.from({ length: 60 }, (_, i) => 600 + i), 5000, 5254];
    const { ownerDelta, ownerFarRow, ownerCheckpoint } = encodeOwners(owners);
    expect(Array.from(ownerFarRow)).toEqual([2]);
    expect(ownerDelta[1]).toBe(254);
    expect(ownerDelta[2]).toBe(OWNER_FAR);
    // row 64 (5000, 4341 past row 63) is a checkpoint, not a far row; row 65 is 254 past it
    expect(Array.from(ownerCheckpoint)).toEqual([0, 5000]);
    expect(ownerDelta[65]).toBe(254);
  });

  it('refuses owners that do not ascend', () => {
    expect(() => encodeOwners([5, 3])).toThrow(/owners must ascend/);
  });
});
