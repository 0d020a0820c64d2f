import { describe, expect, it } from 'vitest';
import { digestDump } from '../../src/diff/dump-digest.ts';
import { countGroupsOf, type GroupLabel, type Grouping } from '../../src/diff/group-counts.ts';
import { buildDump } from '../graph/graph-builder.ts';

const dump = buildDump({
  objects: [
    { address: 0x100, className: 'Event', site: 'app/models/event.rb:14', generation: 1, memsize: 80 },
    { address: 0x128, className: 'Event', site: 'app/models/event.rb:14', generation: 2, memsize: 80 },
    { address: 0x150, className: 'Event', site: 'app/models/event.rb:20', generation: 2, memsize: 80 },
    { address: 0x178, type: 'STRING', className: 'String', site: 'app/models/event.rb:14', generation: 2, memsize: 40 },
    { address: 0x1a0, className: 'Foo', memsize: 40 },
  ],
});

describe('GroupCounts.countsOf', () => {
  const labels: Record<Grouping, GroupLabel[]> = {
    byClass: [{ className: 'Event' }, { className: 'String' }, { className: 'Missing' }],
    byLocation: [{ location: 'app/models/event.rb:14' }, { location: 'app/models/event.rb:20' }],
    byType: [{ type: 'OBJECT' }, { type: 'STRING' }, { type: 'HASH' }],
    byAllocation: [
      { type: 'OBJECT', className: 'Event', location: 'app/models/event.rb:14' },
      { type: 'STRING', className: 'String', location: 'app/models/event.rb:14' },
      { type: 'OBJECT', className: 'Event', location: 'nowhere.rb:1' },
    ],
  };
  const expected: Record<Grouping, number[]> = { byClass: [3, 1, 0], byLocation: [3, 1], byType: [4, 1, 0], byAllocation: [2, 1, 0] };

  it('gives the same counts on every call for a grouping, for labels in a batch and one at a time', () => {
    const counts = countGroupsOf(digestDump(dump), null);
    for (const grouping of Object.keys(labels) as Grouping[]) {
      for (let call = 0; call < 3; call++) {
        expect(Array.from(counts.countsOf(grouping, labels[grouping])), `${grouping} call ${call}`).toEqual(expected[grouping]);
        // one label at a time, as suspects asks
        expect(labels[grouping].map((label) => counts.countsOf(grouping, [label])[0])).toEqual(expected[grouping]);
      }
    }
  });

  it('gives a label asked for twice in one batch its count both times (suspects asks for all their rows at once)', () => {
    const counts = countGroupsOf(digestDump(dump), null);
    const [eventHere, string] = labels.byAllocation;
    expect(Array.from(counts.countsOf('byAllocation', [eventHere, string, eventHere, { ...eventHere }]))).toEqual([2, 1, 2, 2]);
  });

  it('counts only the selected objects', () => {
    const counts = countGroupsOf(digestDump(dump), Uint8Array.from([1, 0, 1, 1, 0]));
    expect(Array.from(counts.countsOf('byClass', labels.byClass))).toEqual([2, 1, 0]);
    expect(Array.from(counts.countsOf('byClass', labels.byClass))).toEqual([2, 1, 0]);
  });
});
