import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allFixtureDumps, countObjectLines, fixtureBytes, fixturesDir, lineTypeOf, parseFixture, splitLines } from './dump-files.ts';

interface TinyIndexEntry {
  file: string;
  lines: number;
  root_lines: number;
  types: Record<string, number>;
}
interface RailsGroundTruth {
  dumps: { file: string; lines: number; objects: number; root_lines: number }[];
}

function countLinesOfType(bytes: Uint8Array, type: string): number {
  return splitLines(bytes).filter((line) => lineTypeOf(line) === type).length;
}

describe('every fixture dump', () => {
  const fixtures = allFixtureDumps();

  it('finds the fixtures of every folder', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    for (const folder of ['rails-series-a/', 'tiny/', 'ruby-3.1.2/', 'ruby-3.3.8/', 'external/']) {
      expect(fixtures.some((path) => path.startsWith(folder))).toBe(true);
    }
  });

  it.each(fixtures)('%s parses with one row per object line and counts ROOT, SHAPE and NONE lines apart', async (path) => {
    const bytes = fixtureBytes(path);
    const dump = await parseFixture(path);
    expect(dump.objectCount).toBe(countObjectLines(bytes));
    expect(dump.stats.rootLineCount).toBe(countLinesOfType(bytes, 'ROOT'));
    expect(dump.stats.shapeLineCount).toBe(countLinesOfType(bytes, 'SHAPE'));
    expect(dump.stats.freeSlotLineCount).toBe(countLinesOfType(bytes, 'NONE'));
    expect(dump.stats.lineCount).toBe(splitLines(bytes).length);
    expect(dump.stats.byteCount).toBe(bytes.length);
    expect(dump.firstReferenceOffset.length).toBe(dump.objectCount + 1);
    expect(dump.firstReferenceOffset[dump.objectCount]).toBe(dump.referenceTarget.length);
  });
});

describe('documented counts', () => {
  it('matches the objects and ROOT lines of rails-series-a/ground_truth.json', async () => {
    const truth = JSON.parse(readFileSync(`${fixturesDir}rails-series-a/ground_truth.json`, 'utf8')) as RailsGroundTruth;
    expect(truth.dumps).toHaveLength(3);
    for (const entry of truth.dumps) {
      const dump = await parseFixture(`rails-series-a/${entry.file}`);
      expect(dump.objectCount).toBe(entry.objects);
      expect(dump.stats.rootLineCount).toBe(entry.root_lines);
      expect(dump.stats.lineCount).toBe(entry.lines);
      expect(dump.problems.count).toBe(0);
    }
  });

  it('matches tiny/index.json: objects are lines minus ROOT and NONE lines', async () => {
    const index = JSON.parse(readFileSync(`${fixturesDir}tiny/index.json`, 'utf8')) as TinyIndexEntry[];
    for (const entry of index) {
      const dump = await parseFixture(`tiny/${entry.file}`);
      const freeSlots = entry.types.NONE ?? 0;
      expect(dump.objectCount, entry.file).toBe(entry.lines - entry.root_lines - freeSlots);
      expect(dump.stats.freeSlotLineCount, entry.file).toBe(freeSlots);
    }
  });

  it('counts 4,537 free-slot NONE lines of minimal-fullheap and keeps them out of the objects', async () => {
    const dump = await parseFixture('tiny/minimal-fullheap.json.gz');
    expect(dump.stats.freeSlotLineCount).toBe(4537);
    expect(dump.objectCount).toBe(21660 - 4 - 4537);
  });
});
