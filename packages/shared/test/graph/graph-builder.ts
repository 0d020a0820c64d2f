/**
 * Test helper: builds small `HeapDump`-shaped objects by hand, so graph and
 * diff algorithms can be checked on graphs whose answers are worked out on
 * paper. Rows are given in ordinal order; references name other rows by
 * ordinal; ROOT categories list the ordinals they reference. Every column of
 * the contract is filled (with the same sentinels the parser uses), so the
 * result can go through any engine function.
 */
import { encodeOwners } from '../../src/store/string-value-owners.ts';
import { ClassKind, MAX_STRING_PREFIX_BYTES, NO_GENERATION, NO_ORDINAL, VALUE_CHECKPOINT_ROWS, type HeapDump } from '../../src/store/heap-dump.ts';
import { FlagBit } from '../../src/store/flags.ts';
import { typeCodeOf } from '../../src/store/object-types.ts';
import { createProblemReport } from '../../src/parse/problems.ts';

export interface BuilderObject {
  type?: string;
  className?: string;
  memsize?: number;
  refs?: number[];
  /** defaults to 0x1000 + 40 * ordinal */
  address?: number;
  generation?: number;
  /** "file:line" (method "m"); makes the row traced when `generation` is set */
  site?: string;
  size?: number;
  stringValue?: string;
}

export interface BuilderInput {
  objects: BuilderObject[];
  roots?: Record<string, number[]>;
  /** SHAPE rows: [id, parentId, shapeType, edgeName] */
  shapes?: Array<[number, number, string, string]>;
  shapeIdOf?: number[];
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function buildDump(input: BuilderInput): HeapDump {
  const objects = input.objects;
  const n = objects.length;
  const classNames = ['(none)'];
  const classIndex = new Map<string, number>();
  const siteKeys: string[] = [''];
  const siteIndex = new Map<string, number>();
  const siteStrings = [''];
  const internString = (text: string): number => {
    const at = siteStrings.indexOf(text);
    if (at >= 0) return at;
    siteStrings.push(text);
    return siteStrings.length - 1;
  };
  const address = new Float64Array(n);
  const typeCode = new Uint8Array(n);
  const flagBits = new Uint16Array(n);
  const classOrdinal = new Uint32Array(n);
  const memsizeBytes = new Uint32Array(n);
  const sizeField = new Uint32Array(n);
  const generation = new Uint32Array(n).fill(NO_GENERATION);
  const siteOrdinal = new Uint32Array(n);
  const firstReferenceOffset = new Uint32Array(n + 1);
  const targets: number[] = [];
  objects.forEach((object, ordinal) => {
    address[ordinal] = object.address ?? 0x1000 + 40 * ordinal;
    typeCode[ordinal] = typeCodeOf(object.type ?? 'OBJECT');
    const className = object.className ?? (object.type === 'STRING' ? 'String' : 'Object');
    if (!classIndex.has(className)) {
      classIndex.set(className, classNames.length);
      classNames.push(className);
    }
    classOrdinal[ordinal] = classIndex.get(className) ?? 0;
    memsizeBytes[ordinal] = object.memsize ?? 40;
    sizeField[ordinal] = object.size ?? 0;
    if (object.generation !== undefined) {
      generation[ordinal] = object.generation;
      flagBits[ordinal] |= FlagBit.traced;
    }
    if (object.site !== undefined) {
      if (!siteIndex.has(object.site)) {
        siteIndex.set(object.site, siteKeys.length);
        siteKeys.push(object.site);
      }
      siteOrdinal[ordinal] = siteIndex.get(object.site) ?? 0;
    }
    firstReferenceOffset[ordinal] = targets.length;
    for (const target of object.refs ?? []) targets.push(target);
  });
  firstReferenceOffset[n] = targets.length;

  const siteCount = siteKeys.length;
  const fileIndex = new Uint32Array(siteCount);
  const line = new Uint32Array(siteCount);
  const methodIndex = new Uint32Array(siteCount);
  siteKeys.forEach((key, site) => {
    if (site === 0) return;
    const colon = key.lastIndexOf(':');
    fileIndex[site] = internString(key.slice(0, colon));
    line[site] = Number(key.slice(colon + 1));
    methodIndex[site] = internString('m');
  });

  const classCount = classNames.length;
  const classObjectOrdinal = new Uint32Array(classCount).fill(NO_ORDINAL);
  const classAddress = new Float64Array(classCount);
  classNames.forEach((name, classOrd) => {
    // derived from the name, so one class has one address in every dump built here
    classAddress[classOrd] = classOrd === 0 ? Number.NaN : 0x900000 + (fnv1a(name) & 0xffff) * 8;
    const found = objects.findIndex((o) => (o.type === 'CLASS' || o.type === 'MODULE') && o.stringValue === name);
    if (found >= 0) classObjectOrdinal[classOrd] = found;
  });

  const valueRows = objects.map((o, ordinal) => ({ o, ordinal })).filter(({ o }) => o.type === 'STRING' && o.stringValue !== undefined);
  const encoder = new TextEncoder();
  const prefixChunks = valueRows.map(({ o }) => encoder.encode(o.stringValue ?? ''));
  if (prefixChunks.some((chunk) => chunk.length > MAX_STRING_PREFIX_BYTES)) throw new RangeError(`a test string value is kept whole as its prefix: at most ${MAX_STRING_PREFIX_BYTES} bytes`);
  const prefixStart = new Uint32Array(valueRows.length + 1);
  prefixChunks.forEach((chunk, i) => (prefixStart[i + 1] = prefixStart[i] + chunk.length));
  const prefixPool = new Uint8Array(prefixStart[valueRows.length]);
  prefixChunks.forEach((chunk, i) => prefixPool.set(chunk, prefixStart[i]));
  // as the parser stores them: a value's length only where its owner's size field differs
  const otherLengthRows = valueRows.map((_, row) => row).filter((row) => sizeField[valueRows[row].ordinal] !== prefixChunks[row].length);

  const rootEntries = Object.entries(input.roots ?? {});
  const rootOffsets = new Uint32Array(rootEntries.length + 1);
  const rootTargets: number[] = [];
  rootEntries.forEach(([, refs], i) => {
    rootOffsets[i] = rootTargets.length;
    rootTargets.push(...refs);
  });
  rootOffsets[rootEntries.length] = rootTargets.length;

  const shapes = input.shapes ?? [];
  const shapeStrings = [''];
  const shapeString = (text: string): number => {
    if (text === '') return 0;
    const at = shapeStrings.indexOf(text);
    if (at >= 0) return at;
    shapeStrings.push(text);
    return shapeStrings.length - 1;
  };

  return {
    objectCount: n,
    address,
    typeCode,
    flagBits,
    classOrdinal,
    memsizeBytes,
    sizeField,
    generation,
    siteOrdinal,
    firstReferenceOffset,
    referenceTarget: Uint32Array.from(targets),
    addressRuns: null,
    ordinalsByAddress: null,
    classes: {
      names: classNames,
      address: classAddress,
      kind: Uint8Array.from(classNames, (name) => (name.startsWith('#<Class:') ? ClassKind.singleton : ClassKind.named)),
      objectOrdinal: classObjectOrdinal,
    },
    sites: { fileIndex, line, methodIndex, strings: siteStrings, count: siteCount },
    stringValues: {
      ...encodeOwners(valueRows.map(({ ordinal }) => ordinal)),
      valueHash: Uint32Array.from(valueRows.map(({ o }) => fnv1a(o.stringValue ?? ''))),
      otherLengthRow: Uint32Array.from(otherLengthRows),
      otherLengthBytes: Uint32Array.from(otherLengthRows, (row) => prefixChunks[row].length),
      prefixLength: Uint8Array.from(prefixChunks, (chunk) => chunk.length),
      prefixCheckpoint: prefixStart.filter((_, row) => row < valueRows.length && row % VALUE_CHECKPOINT_ROWS === 0),
      prefixPool,
      count: valueRows.length,
    },
    fileDescriptors: { owner: new Uint32Array(0), fd: new Int32Array(0), count: 0 },
    roots: {
      categories: rootEntries.map(([category]) => category),
      firstReferenceOffset: rootOffsets,
      referenceTarget: Uint32Array.from(rootTargets),
    },
    shapes: {
      id: Uint32Array.from(shapes.map((s) => s[0])),
      parentId: Uint32Array.from(shapes.map((s) => s[1])),
      depth: new Uint32Array(shapes.length),
      shapeTypeIndex: Uint32Array.from(shapes.map((s) => shapeString(s[2]))),
      edgeNameIndex: Uint32Array.from(shapes.map((s) => shapeString(s[3]))),
      strings: shapeStrings,
      count: shapes.length,
    },
    shapeId: input.shapeIdOf ? Uint32Array.from(input.shapeIdOf) : null,
    stats: {
      byteCount: 0,
      compressedByteCount: 0,
      gzip: false,
      lineCount: n + rootEntries.length,
      rootLineCount: rootEntries.length,
      shapeLineCount: shapes.length,
      freeSlotLineCount: 0,
      referenceCount: targets.length,
      danglingReferenceCount: 0,
      tracedObjectCount: objects.filter((o) => o.generation !== undefined).length,
      rubyFormat: input.shapes ? '3.3' : '3.1',
    },
    problems: createProblemReport(),
  };
}
