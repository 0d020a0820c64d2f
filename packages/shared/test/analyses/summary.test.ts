import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize, type DumpSummary } from '../../src/analyses/summary.ts';
import { parseHeapDump } from '../../src/parse/parse-heap-dump.ts';

const DUMP_3 = new URL('../../../../fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz', import.meta.url);

interface Line {
  address?: string;
  type: string;
  class?: string;
  name?: string;
  memsize?: number;
  bytesize?: number;
  value?: string;
  file?: string;
  line?: number;
  generation?: number;
}

/** Dump 3 read the slow, obvious way: JSON.parse per line. */
function objectLines(): Line[] {
  const text = gunzipSync(readFileSync(DUMP_3)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line)
    .filter((line) => line.type !== 'ROOT');
}

function tally<K>(lines: Line[], keyOf: (line: Line) => K | undefined): Map<K, { count: number; memsizeBytes: number }> {
  const totals = new Map<K, { count: number; memsizeBytes: number }>();
  for (const line of lines) {
    const key = keyOf(line);
    if (key === undefined) continue;
    const row = totals.get(key) ?? { count: 0, memsizeBytes: 0 };
    row.count += 1;
    row.memsizeBytes += line.memsize ?? 0;
    totals.set(key, row);
  }
  return totals;
}

describe('summary of rails-series-a dump 3', () => {
  let summary: DumpSummary;
  let lines: Line[];

  beforeAll(async () => {
    const dump = await parseHeapDump(new Blob([readFileSync(DUMP_3)]).stream());
    summary = summarize(dump, { top: 1000 });
    lines = objectLines();
  });

  it('counts objects by type as the fixtures README lists them', () => {
    const counts = Object.fromEntries(summary.byType.map((row) => [row.type, row.count]));
    expect(counts).toEqual({
      IMEMO: 54687, STRING: 48648, ARRAY: 8945, CLASS: 3900, OBJECT: 3388, DATA: 2417, HASH: 1792, REGEXP: 1074,
      ICLASS: 967, RATIONAL: 626, MODULE: 589, SYMBOL: 423, STRUCT: 225, FILE: 15, BIGNUM: 12, FLOAT: 9, MATCH: 1, COMPLEX: 1,
    });
    expect(summary.objects).toBe(127719);
    expect(summary.rootLines).toBe(6);
    expect(summary.memsizeBytes).toBe(lines.reduce((sum, line) => sum + (line.memsize ?? 0), 0));
  });

  it('counts named classes as JSON.parse and the CLASS/MODULE names say', () => {
    const nameOf = new Map(lines.filter((line) => line.name !== undefined).map((line) => [line.address, line.name]));
    const expected = tally(lines, (line) => (line.type === 'IMEMO' || line.class === undefined ? undefined : nameOf.get(line.class)));
    for (const className of ['String', 'Ahoy::Event', 'Hash', 'Array', 'Time', 'Proc']) {
      const row = summary.byClass.find((candidate) => candidate.className === className);
      expect(row, className).toEqual({ className, ...expected.get(className) });
    }
    expect(summary.byClass.find((row) => row.className === 'Ahoy::Event')?.count).toBe(430);
  });

  it('groups traced objects by file:line', () => {
    const expected = tally(lines, (line) => (line.file === undefined ? undefined : `${line.file}:${line.line ?? 0}`));
    expect(summary.byLocation.length).toBe(Math.min(1000, expected.size));
    for (const row of summary.byLocation.slice(0, 50)) expect(row).toEqual({ location: row.location, ...expected.get(row.location) });
    const eventSite = '/srv/leakyapp/app/models/ahoy/event.rb:14';
    expect(summary.byLocation.find((row) => row.location === eventSite)).toEqual({ location: eventSite, ...expected.get(eventSite) });
  });

  it('groups objects by generation, untraced ones under null', () => {
    const expected = tally(lines, (line) => line.generation ?? null);
    expect(summary.byGeneration).toEqual(
      [...expected.entries()].map(([generation, row]) => ({ generation, ...row })).sort((a, b) => (a.generation ?? Infinity) - (b.generation ?? Infinity)),
    );
  });

  it('finds duplicate string values and what interning them would save', () => {
    const groups = new Map<string, number[]>();
    for (const line of lines) {
      if (line.type !== 'STRING' || line.value === undefined) continue;
      groups.set(line.value, [...(groups.get(line.value) ?? []), line.memsize ?? 0]);
    }
    const duplicates = [...groups.entries()].filter(([, sizes]) => sizes.length > 1);
    const wasted = (sizes: number[]): number => sizes.reduce((sum, size) => sum + size, 0) - Math.max(...sizes);
    const best = duplicates.sort((a, b) => wasted(b[1]) - wasted(a[1]))[0];
    expect(summary.duplicateStrings[0]).toMatchObject({ count: best[1].length, wastedBytes: wasted(best[1]), value: best[0].slice(0, 64) });
    expect(summary.duplicateStrings.length).toBe(Math.min(1000, duplicates.length));
  });

  it('lists strings over 1,000 bytes and objects over 100,000 bytes of memsize', () => {
    const bigStrings = lines.filter((line) => line.type === 'STRING' && (line.bytesize ?? 0) > 1000);
    const bigObjects = lines.filter((line) => (line.memsize ?? 0) > 100_000);
    expect(summary.largeStrings.length).toBe(Math.min(1000, bigStrings.length));
    expect(summary.largeObjects.length).toBe(bigObjects.length);
    expect(summary.largeStrings.length).toBeGreaterThan(150);
    expect(summary.largeStrings[0].bytesize).toBe(Math.max(...bigStrings.map((line) => line.bytesize ?? 0)));
    expect(new Set(summary.largeObjects.map((row) => row.address))).toEqual(new Set(bigObjects.map((line) => line.address)));
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
