/**
 * Test helpers for the parser: read fixture dumps (gunzipped with node:zlib,
 * independently of the parser), split them into lines, feed byte arrays to
 * the parser in chosen chunk sizes, and count object lines with a plain
 * line reader that shares no code with the engine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseHeapDump, type ParseOptions } from '../../src/parse/parse-heap-dump.ts';
import type { HeapDump } from '../../src/store/heap-dump.ts';

export const fixturesDir = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** Every dump under fixtures/ (relative paths), found by walking the folder. */
export function allFixtureDumps(): string[] {
  const found: string[] = [];
  for (const folder of ['rails-series-a', 'tiny', 'ruby-3.1.2', 'ruby-3.3.8', 'external']) {
    for (const file of readdirSync(`${fixturesDir}${folder}`)) {
      if (/\.(json|jsonl|heap)\.gz$/.test(file)) found.push(`${folder}/${file}`);
    }
  }
  return found.sort();
}

export function fixtureBytes(relativePath: string): Uint8Array {
  const raw = readFileSync(`${fixturesDir}${relativePath}`);
  return relativePath.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export function compressedFixtureBytes(relativePath: string): Uint8Array {
  return readFileSync(`${fixturesDir}${relativePath}`);
}

/** The lines of a dump as byte arrays (without the newline). */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let at = 0; at < bytes.length; at++) {
    if (bytes[at] !== 0x0a) continue;
    lines.push(bytes.subarray(start, at));
    start = at + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

export function joinLines(lines: Uint8Array[]): Uint8Array {
  const total = lines.reduce((sum, line) => sum + line.length + 1, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const line of lines) {
    out.set(line, at);
    at += line.length;
    out[at++] = 0x0a;
  }
  return out;
}

export function textLines(...lines: string[]): Uint8Array {
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** The `type` of a line read with a regular expression over its first bytes (latin1). */
export function lineTypeOf(line: Uint8Array): string | null {
  const head = Buffer.from(line.subarray(0, 300)).toString('latin1');
  return /"type":"([A-Z_]+)"/.exec(head)?.[1] ?? null;
}

/** Lines that hold an object: not ROOT, SHAPE or NONE. */
export function countObjectLines(bytes: Uint8Array): number {
  return splitLines(bytes).filter((line) => {
    const type = lineTypeOf(line);
    return type !== null && type !== 'ROOT' && type !== 'SHAPE' && type !== 'NONE';
  }).length;
}

export async function* chunksOf(bytes: Uint8Array, sizes: (index: number) => number): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let index = 0; at < bytes.length; index++) {
    const size = Math.max(1, sizes(index));
    yield bytes.slice(at, at + size);
    at += size;
  }
}

export function parseBytes(bytes: Uint8Array, options: ParseOptions = {}, chunkBytes = 65536): Promise<HeapDump> {
  return parseHeapDump(chunksOf(bytes, () => chunkBytes), options);
}

export function parseFixture(relativePath: string, options: ParseOptions = {}): Promise<HeapDump> {
  return parseBytes(compressedFixtureBytes(relativePath), options);
}
