/**
 * Makes realistic heap dumps of at least 1 GB for `npm run bench` from the
 * real Rails dumps in fixtures/rails-series-a, and reuses them when present.
 *
 * How: the template dump is replicated `copies` times. Copy 0 is the template
 * as written; copies 1.. repeat every object line except CLASS, MODULE and
 * ICLASS lines (a bigger Rails worker has more instances, not more classes),
 * with each address token `"0x7fefXXXXXXXX"` moved to a fresh range by adding
 * `copy << 40` (only the first two of its 12 hex digits change, so a copy is a
 * byte copy of the template plus two patched bytes per address). Addresses of
 * class-like objects are not moved, so `class` fields and references to
 * classes keep pointing at copy 0's CLASS lines. Every copy is reachable as
 * copy 0 is: ROOT lines stay first, each listing its references once per
 * copy (the `vm` root line becomes several MB long, as in real big dumps),
 * and each class-like line lists its references to replicated objects once
 * per copy, so a copy's constants, class-level caches and their contents are
 * held by the same classes as copy 0's. (Generator version 1 did not do the
 * latter: copies 1.. of everything reached only through a class, the planted
 * leaks' holders included, were unreachable, and `suspects` ranked them as
 * per-copy clusters that no ROOT line reaches.) The copy count includes those
 * extra reference bytes, so the files stay at about the target size.
 *
 * Series: the three rails-series-a dumps replicated with the same number of
 * copies keep their identities (address + type + generation) consistent, so
 * the planted leaks grow by `copies` times the README's numbers: objects new
 * in dump 2 and still alive in dump 3 = copies × 2,609 (copies × 2,600 from
 * the two leaks).
 *
 * Run directly: `npx tsx bench/make-large-dump.ts [--series] [--target-mb N]`.
 * Output: ${TMPDIR:-/tmp}/leakpilot-bench/.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/rails-series-a/', import.meta.url));
const SERIES_FILES = [
  'heap_dump_signal_24329_1795948963.json.gz',
  'heap_dump_signal_24329_1795949024.json.gz',
  'heap_dump_signal_24329_1795949061.json.gz',
];
/** from fixtures/rails-series-a/ground_truth.json diff3_totals */
const NEW_RETAINED_PER_COPY = 2609;
const LEAK_OBJECTS_PER_COPY = 2600;
const GENERATOR_VERSION = 2;
const ADDRESS_HEX_DIGITS = 12;
const COPY_SHIFT_BITS = 40;
const MAX_COPIES = 0x80;

export interface MakeOptions {
  targetBytes?: number;
  outDir?: string;
  log?: (message: string) => void;
}

/** Where a class-like line of `body` gets its references to replicated objects once more per copy. */
interface ClassReferenceInsert {
  /** offset in `body` of the `]` that closes the line's references */
  bodyOffset: number;
  /** the line's references to replicated (moved) objects, as written */
  movedReferences: string[];
}

interface Template {
  rootLines: { root: string; references: string[] }[];
  /** every non-ROOT line of the template, as written */
  body: Buffer;
  /** in ascending bodyOffset */
  classInserts: ClassReferenceInsert[];
  /** bytes the class inserts add per copy */
  classInsertBytesPerCopy: number;
  /** the lines of `body` that are replicated (all but class-like ones) */
  replicated: Buffer;
  /** byte offsets in `replicated` of the first hex digit of each moved address */
  movedAddressOffset: Int32Array;
  classAddresses: Set<string>;
}

export function defaultOutDir(): string {
  return join(process.env.TMPDIR ?? tmpdir(), 'leakpilot-bench');
}

function defaultTargetBytes(): number {
  const mb = Number(process.env.LEAKPILOT_BENCH_MB ?? '1024');
  return Math.round(mb * 1024 * 1024);
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;

function isLowerHex(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66);
}

/** Offsets of the first hex digit of every `"0x` + 12 hex digits + `"` token in `line`. */
function addressTokenOffsets(buffer: Buffer, start: number, end: number): number[] {
  const offsets: number[] = [];
  let at = buffer.indexOf('"0x', start, 'latin1');
  while (at !== -1 && at < end) {
    const first = at + 3;
    let digits = 0;
    while (first + digits < end && isLowerHex(buffer[first + digits])) digits += 1;
    if (digits === ADDRESS_HEX_DIGITS && buffer[first + digits] === QUOTE) offsets.push(first);
    at = buffer.indexOf('"0x', first, 'latin1');
  }
  return offsets;
}

function lineType(line: string): string {
  const match = /"type":"([A-Z_]+)"/.exec(line.slice(0, 200));
  return match ? match[1] : '';
}

const REFERENCES_KEY = '"references":[';

/** The closing `]` of a line's references and its references to replicated objects, or null when it has none. */
function classReferenceInsert(raw: Buffer, start: number, end: number, classAddresses: Set<string>): { offset: number; movedReferences: string[] } | null {
  const open = raw.indexOf(REFERENCES_KEY, start, 'latin1');
  if (open === -1 || open >= end) return null;
  const close = raw.indexOf(']', open, 'latin1');
  const listed = raw.toString('latin1', open + REFERENCES_KEY.length, close).match(/0x[0-9a-f]+/g) ?? [];
  const movedReferences = listed.filter((address) => address.length === ADDRESS_HEX_DIGITS + 2 && !classAddresses.has(address));
  return movedReferences.length === 0 ? null : { offset: close, movedReferences };
}

async function loadTemplate(file: string): Promise<Template> {
  const raw = gunzipSync(await readFile(join(FIXTURE_DIR, file)));
  const rootLines: Template['rootLines'] = [];
  const classAddresses = new Set<string>();
  const lineBounds: [number, number, boolean][] = [];
  let bodyStart = -1;
  for (let start = 0; start < raw.length; ) {
    let end = raw.indexOf(NEWLINE, start);
    if (end === -1) end = raw.length;
    const head = raw.toString('latin1', start, Math.min(end, start + 200));
    const type = lineType(head);
    if (type === 'ROOT') {
      const parsed = JSON.parse(raw.toString('utf8', start, end)) as { root: string; references?: string[] };
      rootLines.push({ root: parsed.root, references: parsed.references ?? [] });
    } else {
      if (bodyStart === -1) bodyStart = start;
      const classLike = type === 'CLASS' || type === 'MODULE' || type === 'ICLASS';
      if (classLike) classAddresses.add(/"address":"(0x[0-9a-f]+)"/.exec(head)?.[1] ?? '');
      lineBounds.push([start, end + 1, classLike]);
    }
    start = end + 1;
  }
  const body = raw.subarray(bodyStart);
  const classInserts: ClassReferenceInsert[] = [];
  for (const [start, end, classLike] of lineBounds) {
    if (!classLike) continue;
    const insert = classReferenceInsert(raw, start, end, classAddresses);
    if (insert !== null) classInserts.push({ bodyOffset: insert.offset - bodyStart, movedReferences: insert.movedReferences });
  }
  const classInsertBytesPerCopy = classInserts.reduce((bytes, insert) => bytes + insert.movedReferences.reduce((sum, address) => sum + address.length + 4, 0), 0);
  const pieces: Buffer[] = [];
  const moved: number[] = [];
  let replicatedBytes = 0;
  for (const [start, end, classLike] of lineBounds) {
    if (classLike) continue;
    for (const offset of addressTokenOffsets(raw, start, end)) {
      const address = `0x${raw.toString('latin1', offset, offset + ADDRESS_HEX_DIGITS)}`;
      if (!classAddresses.has(address)) moved.push(replicatedBytes + offset - start);
    }
    pieces.push(raw.subarray(start, end));
    replicatedBytes += end - start;
  }
  return { rootLines, body, classInserts, classInsertBytesPerCopy, replicated: Buffer.concat(pieces), movedAddressOffset: Int32Array.from(moved), classAddresses };
}

function movedAddress(address: string, copy: number): string {
  return `0x${(Number.parseInt(address.slice(2), 16) + copy * 2 ** COPY_SHIFT_BITS).toString(16)}`;
}

function rootLineText(rootLine: Template['rootLines'][number], copies: number, classAddresses: Set<string>): string {
  const references: string[] = [...rootLine.references];
  for (let copy = 1; copy < copies; copy += 1) {
    for (const address of rootLine.references) {
      if (!classAddresses.has(address) && address.length === ADDRESS_HEX_DIGITS + 2) references.push(movedAddress(address, copy));
    }
  }
  const list = references.map((address) => `"${address}"`).join(', ');
  return `{"type":"ROOT", "root":"${rootLine.root}", "references":[${list}]}\n`;
}

const HEX = '0123456789abcdef';

/** Patches the top two hex digits of every moved address in `scratch` for `copy`. */
function patchCopy(template: Template, scratch: Buffer, copy: number): void {
  template.replicated.copy(scratch);
  const offsets = template.movedAddressOffset;
  for (let i = 0; i < offsets.length; i += 1) {
    const at = offsets[i];
    const top = ((HEX.indexOf(String.fromCharCode(scratch[at])) << 4) | HEX.indexOf(String.fromCharCode(scratch[at + 1]))) + copy;
    scratch[at] = HEX.charCodeAt(top >> 4);
    scratch[at + 1] = HEX.charCodeAt(top & 15);
  }
}

function copiesFor(template: Template, targetBytes: number): number {
  const missing = Math.max(0, targetBytes - template.body.length);
  const copies = 1 + Math.ceil(missing / (template.replicated.length + template.classInsertBytesPerCopy));
  if (copies > MAX_COPIES) throw new RangeError(`target needs ${copies} copies, at most ${MAX_COPIES} fit the address scheme`);
  return copies;
}

/** The template's lines, each class-like one with its references to replicated objects repeated for copies 1.. */
async function writeBody(template: Template, copies: number, write: (chunk: Buffer | string) => Promise<void>): Promise<void> {
  let written = 0;
  for (const insert of template.classInserts) {
    await write(template.body.subarray(written, insert.bodyOffset));
    const extra: string[] = [];
    for (let copy = 1; copy < copies; copy += 1) for (const address of insert.movedReferences) extra.push(`, "${movedAddress(address, copy)}"`);
    await write(extra.join(''));
    written = insert.bodyOffset;
  }
  await write(template.body.subarray(written));
}

async function writeDump(template: Template, copies: number, path: string): Promise<number> {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const write = (chunk: Buffer | string): Promise<void> =>
    new Promise((resolve, reject) => (out.write(chunk, (error) => (error ? reject(error) : resolve()))));
  for (const rootLine of template.rootLines) await write(rootLineText(rootLine, copies, template.classAddresses));
  await writeBody(template, copies, write);
  const scratch = Buffer.allocUnsafe(template.replicated.length);
  for (let copy = 1; copy < copies; copy += 1) {
    patchCopy(template, scratch, copy);
    await write(scratch);
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  await rename(partial, path);
  return (await stat(path)).size;
}

interface Meta {
  generatorVersion: number;
  targetBytes: number;
  copies: number;
  files: { path: string; bytes: number }[];
}

async function readMeta(path: string): Promise<Meta | null> {
  if (!existsSync(path)) return null;
  const meta = JSON.parse(await readFile(path, 'utf8')) as Meta;
  for (const file of meta.files) {
    if (!existsSync(file.path) || (await stat(file.path)).size !== file.bytes) return null;
  }
  return meta;
}

async function ensureFiles(name: string, templates: string[], options: MakeOptions): Promise<Meta> {
  const outDir = options.outDir ?? defaultOutDir();
  const targetBytes = options.targetBytes ?? defaultTargetBytes();
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const metaPath = join(outDir, `${name}.meta.json`);
  const existing = await readMeta(metaPath);
  if (existing && existing.generatorVersion === GENERATOR_VERSION && existing.targetBytes === targetBytes) {
    log(`reusing ${existing.files.map((file) => file.path).join(', ')}`);
    return existing;
  }
  await mkdir(outDir, { recursive: true });
  const startedMs = performance.now();
  const lastTemplate = await loadTemplate(templates[templates.length - 1]);
  const copies = copiesFor(lastTemplate, targetBytes);
  const files: Meta['files'] = [];
  for (const [index, file] of templates.entries()) {
    const template = index === templates.length - 1 ? lastTemplate : await loadTemplate(file);
    const path = join(outDir, templates.length === 1 ? `${name}.json` : `${name}-${index + 1}.json`);
    log(`writing ${path} (${copies} copies of ${file})`);
    files.push({ path, bytes: await writeDump(template, copies, path) });
  }
  const meta: Meta = { generatorVersion: GENERATOR_VERSION, targetBytes, copies, files };
  await writeFile(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  log(`made ${files.length} dump(s) in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
  return meta;
}

/** One dump of at least `targetBytes` (default 1 GiB, env LEAKPILOT_BENCH_MB). */
export async function ensureLargeDump(options: MakeOptions = {}): Promise<string> {
  const meta = await ensureFiles('large-rails', [SERIES_FILES[2]], options);
  return meta.files[0].path;
}

/** Three dumps of one series, each of at least `targetBytes`, with the planted leaks. */
export async function ensureLargeSeries(
  options: MakeOptions = {},
): Promise<{ paths: string[]; copies: number; expectedNewRetained: number; expectedLeakObjects: number }> {
  const meta = await ensureFiles('large-series', SERIES_FILES, options);
  return {
    paths: meta.files.map((file) => file.path),
    copies: meta.copies,
    expectedNewRetained: meta.copies * NEW_RETAINED_PER_COPY,
    expectedLeakObjects: meta.copies * LEAK_OBJECTS_PER_COPY,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const targetIndex = args.indexOf('--target-mb');
  const options: MakeOptions = targetIndex === -1 ? {} : { targetBytes: Math.round(Number(args[targetIndex + 1]) * 1024 * 1024) };
  if (args.includes('--series')) process.stdout.write(`${JSON.stringify(await ensureLargeSeries(options))}\n`);
  else process.stdout.write(`${await ensureLargeDump(options)}\n`);
}
