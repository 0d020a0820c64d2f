/**
 * Test helper: parses the real fixture dumps (repository `fixtures/`) with the
 * real parser, once per file and options per test worker.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseHeapDump } from '../../src/parse/parse-heap-dump.ts';
import type { HeapDump } from '../../src/store/heap-dump.ts';

export const fixturesDir = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

export const RAILS_SERIES = [
  'rails-series-a/heap_dump_signal_24329_1795948963.json.gz',
  'rails-series-a/heap_dump_signal_24329_1795949024.json.gz',
  'rails-series-a/heap_dump_signal_24329_1795949061.json.gz',
];

export function rubySeries(version: '3.1.2' | '3.3.8'): string[] {
  return ['01-baseline.json.gz', '02-after-leak1.json.gz', '03-after-leak2.json.gz'].map((file) => `ruby-${version}/${file}`);
}

const parsed = new Map<string, Promise<HeapDump>>();

export function loadFixtureDump(relativePath: string, references = true): Promise<HeapDump> {
  const key = `${relativePath}|${references}`;
  let dump = parsed.get(key);
  if (!dump) {
    dump = parseHeapDump(createReadStream(`${fixturesDir}${relativePath}`), { references });
    parsed.set(key, dump);
  }
  return dump;
}

export async function loadGroundTruth<T>(folder: string): Promise<T> {
  return JSON.parse(await readFile(`${fixturesDir}${folder}/ground_truth.json`, 'utf8')) as T;
}
