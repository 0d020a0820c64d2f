import { describe, expect, it } from 'vitest';
import { diffDumps } from '../../src/diff/series-diff.ts';
import { TripleKeyTable } from '../../src/diff/triple-key-table.ts';
import { buildDump } from '../graph/graph-builder.ts';

const eventAt = (address: number, generation: number) => ({
  address,
  generation,
  site: 'app/models/event.rb:14',
  className: 'Event',
  memsize: 80,
});

describe('diffDumps', () => {
  const before = buildDump({
    objects: [eventAt(0x100, 1), eventAt(0x200, 1), { address: 0x300, className: 'Foo', memsize: 40 }],
  });
  const after = buildDump({
    objects: [
      eventAt(0x100, 1),
      eventAt(0x200, 5), // slot of the freed 0x200 reused by a new event
      { address: 0x300, className: 'Foo', memsize: 40 },
      { address: 0x400, generation: 5, site: 'app/x.rb:2', type: 'STRING', className: 'String', memsize: 100 },
    ],
  });
  const later = buildDump({ objects: [eventAt(0x100, 1), eventAt(0x200, 5), { address: 0x300, className: 'Foo', memsize: 40 }] });

  it('does not take a reused address for the old object when allocation info differs', () => {
    const result = diffDumps(before, after);
    expect(result.new.count).toBe(2);
    expect(result.freed.count).toBe(1);
    expect(result.freed.byAllocation).toEqual([
      { type: 'OBJECT', className: 'Event', location: 'app/models/event.rb:14', count: 1, memsizeBytes: 80, liveCounts: [2, 2] },
    ]);
    expect(result.identity.addressReused).toBe(1);
    expect(result.retained).toBeNull();
  });

  it('keeps only objects new in after and alive in later as retained, with live counts per dump', () => {
    const result = diffDumps(before, after, later);
    expect(result.dumpCount).toBe(3);
    expect(result.retained?.count).toBe(1);
    expect(result.retained?.byClass).toEqual([{ className: 'Event', count: 1, memsizeBytes: 80, liveCounts: [2, 2, 2] }]);
    // equal counts: the STRING (100 bytes) sorts before the OBJECT (80 bytes)
    expect(result.new.byType.map((row) => [row.type, row.count])).toEqual([
      ['STRING', 1],
      ['OBJECT', 1],
    ]);
  });

  it('counts how many objects matched the weak way (untraced: address + type + class)', () => {
    const result = diffDumps(before, after, later);
    expect(result.identity).toMatchObject({ traced: 3, weak: 2, addressReused: 1 });
  });

  it('treats an untraced object whose class changed as a different object', () => {
    const changed = buildDump({ objects: [eventAt(0x100, 1), eventAt(0x200, 1), { address: 0x300, className: 'Bar', memsize: 40 }] });
    const result = diffDumps(before, changed);
    expect(result.new.byClass).toEqual([{ className: 'Bar', count: 1, memsizeBytes: 40, liveCounts: [0, 1] }]);
  });
});

describe('TripleKeyTable', () => {
  it('gives one dense slot per distinct key triple across growth', () => {
    const table = new TripleKeyTable(4);
    for (let i = 0; i < 5000; i++) expect(table.slotOf(i % 7, i, i * 3)).toBe(i);
    for (let i = 0; i < 5000; i++) expect(table.slotOf(i % 7, i, i * 3)).toBe(i);
    expect(table.size).toBe(5000);
    expect(table.keysOf(4321)).toEqual([4321 % 7, 4321, 4321 * 3]);
  });
});
