import { describe, expect, it } from 'vitest';
import { FlagBit } from '../../src/store/flags.ts';
import { ClassKind, NO_GENERATION } from '../../src/store/heap-dump.ts';
import { formatAddress, ordinalOfAddress, parseAddress, referencesOf, valueBytesOfRow } from '../../src/store/lookup.ts';
import { ownerOfRow } from '../../src/store/string-value-owners.ts';
import { typeNameOf } from '../../src/store/object-types.ts';
import { fixtureBytes, parseFixture, splitLines } from './dump-files.ts';

interface DumpLine {
  address?: string;
  type: string;
  class?: string;
  memsize?: number;
  bytesize?: number;
  length?: number;
  size?: number;
  generation?: number;
  file?: string;
  line?: number;
  method?: string;
  references?: string[];
  frozen?: boolean;
  fstring?: boolean;
  flags?: { wb_protected?: boolean; old?: boolean; uncollectible?: boolean; marked?: boolean; pinned?: boolean };
  shape_id?: number;
  fd?: number;
  value?: string;
}

/** Addresses of every object line, read with a regular expression (invalid lines included). */
function lineAddresses(path: string): Set<string> {
  const addresses = new Set<string>();
  for (const line of splitLines(fixtureBytes(path))) {
    const head = Buffer.from(line.subarray(0, 200)).toString('latin1');
    const match = /^\{"address":"(0x[0-9a-f]+)", "type":"(?!SHAPE|NONE)/.exec(head);
    if (match) addresses.add(match[1]);
  }
  return addresses;
}

/** Every line JSON.parse accepts, parsed the slow, obvious way. */
function jsonLines(path: string): DumpLine[] {
  const decoder = new TextDecoder();
  const parsed: DumpLine[] = [];
  for (const line of splitLines(fixtureBytes(path))) {
    try {
      parsed.push(JSON.parse(decoder.decode(line)) as DumpLine);
    } catch {
      // lines a strict parser rejects are covered by the recovery tests
    }
  }
  return parsed;
}

describe.each(['rails-series-a/heap_dump_signal_24329_1795949061.json.gz', 'ruby-3.3.8/07-special.json.gz', 'ruby-3.1.2/06-full.json.gz', 'external/heapy-my_dump_1.json.gz'])(
  'columns of %s',
  (path) => {
    it('hold what JSON.parse reads from every object line', async () => {
      const dump = await parseFixture(path);
      const objects = jsonLines(path).filter((line) => line.address !== undefined && line.type !== 'SHAPE' && line.type !== 'NONE');
      const addresses = lineAddresses(path);
      let checkedReferences = 0;
      const mismatches: string[] = [];
      for (const line of objects) {
        const ordinal = ordinalOfAddress(dump, parseAddress(line.address ?? ''));
        const check = (what: string, actual: unknown, expected: unknown): void => {
          if (actual !== expected) mismatches.push(`${line.address} ${what}: ${String(actual)} != ${String(expected)}`);
        };
        check('address', formatAddress(dump.address[ordinal]), line.address);
        check('type', typeNameOf(dump.typeCode[ordinal]), line.type);
        check('memsize', dump.memsizeBytes[ordinal], line.memsize ?? 0);
        check('size field', dump.sizeField[ordinal], line.bytesize ?? line.length ?? line.size ?? 0);
        check('generation', dump.generation[ordinal], line.generation ?? NO_GENERATION);
        check('frozen', (dump.flagBits[ordinal] & FlagBit.frozen) !== 0, line.frozen === true);
        check('fstring', (dump.flagBits[ordinal] & FlagBit.fstring) !== 0, line.fstring === true);
        check('old', (dump.flagBits[ordinal] & FlagBit.old) !== 0, line.flags?.old === true);
        check('marked', (dump.flagBits[ordinal] & FlagBit.marked) !== 0, line.flags?.marked === true);
        check('wb_protected', (dump.flagBits[ordinal] & FlagBit.wbProtected) !== 0, line.flags?.wb_protected === true);
        check('uncollectible', (dump.flagBits[ordinal] & FlagBit.uncollectible) !== 0, line.flags?.uncollectible === true);
        check('pinned', (dump.flagBits[ordinal] & FlagBit.pinned) !== 0, line.flags?.pinned === true);
        if (line.shape_id !== undefined) check('shape_id', dump.shapeId?.[ordinal], line.shape_id);
        const site = dump.siteOrdinal[ordinal];
        check('file', dump.sites.strings[dump.sites.fileIndex[site]], line.file ?? '');
        check('line', dump.sites.line[site], line.line ?? 0);
        check('method', dump.sites.strings[dump.sites.methodIndex[site]], line.method ?? '');
        const expectedTargets = (line.references ?? []).filter((target) => addresses.has(target));
        check('references', Array.from(referencesOf(dump, ordinal), (target) => formatAddress(dump.address[target])).join(), expectedTargets.join());
        checkedReferences += expectedTargets.length;
        const classRow = dump.classOrdinal[ordinal];
        if (line.type === 'IMEMO' || line.class === undefined) {
          check('synthetic class', dump.classes.kind[classRow], ClassKind.synthetic);
        } else {
          check('class', formatAddress(dump.classes.address[classRow]), line.class);
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(dump.objectCount).toBeGreaterThanOrEqual(objects.length);
      expect(dump.stats.referenceCount).toBe(dump.referenceTarget.length);
      expect(checkedReferences).toBeGreaterThan(0);
    });

    it('gives every string value the UTF-8 byte length of the value JSON.parse decodes, escapes included', async () => {
      const dump = await parseFixture(path);
      const values = dump.stringValues;
      const rowOfOrdinal = new Map<number, number>();
      for (let row = 0; row < values.count; row++) rowOfOrdinal.set(ownerOfRow(values, row), row);
      const encoder = new TextEncoder();
      const mismatches: string[] = [];
      let checked = 0;
      for (const line of jsonLines(path)) {
        if (line.value === undefined || (line.type !== 'STRING' && line.type !== 'SYMBOL')) continue;
        const row = rowOfOrdinal.get(ordinalOfAddress(dump, parseAddress(line.address ?? '')));
        const expected = encoder.encode(line.value).length;
        const stored = row === undefined ? undefined : valueBytesOfRow(dump, row);
        if (stored !== expected) mismatches.push(`${line.address}: ${stored ?? 'no row'} != ${expected}`);
        checked++;
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(checked).toBeGreaterThan(0);
    });
  },
);
