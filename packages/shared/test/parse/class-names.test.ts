import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClassKind, NO_ORDINAL, type HeapDump } from '../../src/store/heap-dump.ts';
import { classNameOf, fileDescriptorOf, ordinalOfAddress, parseAddress, stringPrefixOf } from '../../src/store/lookup.ts';
import { fixtureBytes, fixturesDir, parseFixture, splitLines } from './dump-files.ts';

interface Manifest {
  objects: Record<string, { address: string; type: string; in_file: string }>;
}
const manifest = JSON.parse(readFileSync(`${fixturesDir}tiny/manifest.json`, 'utf8')) as Manifest;

async function labelled(label: string): Promise<{ dump: HeapDump; ordinal: number }> {
  const entry = manifest.objects[label];
  const dump = await parseFixture(`tiny/${entry.in_file}.gz`);
  const ordinal = ordinalOfAddress(dump, parseAddress(entry.address));
  expect(ordinal, label).not.toBe(NO_ORDINAL);
  return { dump, ordinal };
}

describe('class names of labelled objects (tiny/manifest.json)', () => {
  it.each([
    ['struct_named', 'Struct::EdgeNamedStruct'],
    ['struct_assigned', 'EdgePoint'],
    ['obj_many_ivars', 'EdgeManyIvars'],
    ['range_literal', 'Range'],
    ['encoding', 'Encoding'],
    ['class_named', '#<Class:EdgeNs::Inner>'],
    ['class_utf8_name', '#<Class:Ünïcödé>'],
    ['class_named_later', '#<Class:EdgeNamedLater>'],
    ['obj_with_singleton', '#<Class:#<Object>>'],
  ])('%s is an instance of %s', async (label, name) => {
    const { dump, ordinal } = await labelled(label);
    expect(classNameOf(dump, ordinal)).toBe(name);
  });

  it('names an instance of an anonymous class #<Class:0x…> after the class address', async () => {
    const { dump, ordinal } = await labelled('basic_object');
    const row = dump.classOrdinal[ordinal];
    expect(dump.classes.kind[row]).toBe(ClassKind.anonymous);
    expect(classNameOf(dump, ordinal)).toBe(`#<Class:0x${dump.classes.address[row].toString(16)}>`);
  });

  it('names a class whose CLASS line is older than a since: dump as unknown, keeping its address', async () => {
    const { dump, ordinal } = await labelled('str_fstring');
    const row = dump.classOrdinal[ordinal];
    expect(dump.classes.kind[row]).toBe(ClassKind.missing);
    expect(classNameOf(dump, ordinal)).toMatch(/^\(unknown class 0x[0-9a-f]+\)$/);
  });

  it('reads string prefixes with JSON escapes decoded, and file descriptors', async () => {
    const escapes = await labelled('str_escapes');
    const line = splitLines(fixtureBytes('tiny/edge-cases-since.json.gz')).find((bytes) =>
      Buffer.from(bytes.subarray(0, 40)).toString('latin1').includes(manifest.objects.str_escapes.address),
    );
    const value = (JSON.parse(Buffer.from(line ?? []).toString('utf8')) as { value: string }).value;
    expect(value).toContain('\u0000');
    expect(stringPrefixOf(escapes.dump, escapes.ordinal)).toBe(value.slice(0, 64));
    const devnull = await labelled('file_devnull');
    expect(fileDescriptorOf(devnull.dump, devnull.ordinal)).toBeGreaterThanOrEqual(0);
  });
});

describe('objects whose class field is not a class', () => {
  it('names Ruby 3.1 IMEMO rows after their imemo_type, never after the class their field points at', async () => {
    const dump = await parseFixture('ruby-3.1.2/03-after-leak2.json.gz');
    let ahoyInstances = 0;
    let imemoRows = 0;
    for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
      const name = classNameOf(dump, ordinal);
      if (name === 'Ahoy::Event') {
        ahoyInstances++;
        expect(dump.typeCode[ordinal]).not.toBe(17);
      }
      if (dump.typeCode[ordinal] === 17) {
        imemoRows++;
        expect(name).toMatch(/^\(IMEMO [a-z_]+\)$/);
      }
    }
    expect(imemoRows).toBeGreaterThan(1000);
    expect(ahoyInstances).toBe(720);
  });

  it('names hidden objects without a class after their type (and DATA struct)', async () => {
    const dump = await parseFixture('rails-series-a/heap_dump_signal_24329_1795949061.json.gz');
    const names = new Set(dump.classes.names);
    expect(names.has('(IMEMO callcache)')).toBe(true);
    expect(names.has('(DATA autoload)')).toBe(true);
    expect(names.has('Ahoy::Event')).toBe(true);
    expect(names.has('ReportCache')).toBe(true);
  });
});
