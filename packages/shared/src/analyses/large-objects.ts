/**
 * The largest single objects: STRING objects whose `bytesize` passes a
 * threshold (1,000 bytes by default) and objects of any type whose `memsize`
 * passes another (100,000 bytes by default), biggest first, at most `top`.
 */
import { classNameOf, formatAddress, siteLabelOf, stringPrefixOf } from '../store/lookup.ts';
import { TypeCode, typeNameOf } from '../store/object-types.ts';
import type { HeapDump } from '../store/heap-dump.ts';
import type { SummaryLargeObjectRow, SummaryLargeStringRow } from './summary-types.ts';

function largest(dump: HeapDump, size: ArrayLike<number>, accept: (ordinal: number) => boolean, top: number): number[] {
  const ordinals: number[] = [];
  for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) if (accept(ordinal)) ordinals.push(ordinal);
  ordinals.sort((a, b) => size[b] - size[a] || a - b);
  return ordinals.slice(0, top);
}

export function largeStrings(dump: HeapDump, minBytes: number, top: number): SummaryLargeStringRow[] {
  const picked = largest(dump, dump.sizeField, (ordinal) => dump.typeCode[ordinal] === TypeCode.STRING && dump.sizeField[ordinal] > minBytes, top);
  return picked.map((ordinal) => ({
    address: formatAddress(dump.address[ordinal]),
    bytesize: dump.sizeField[ordinal],
    memsizeBytes: dump.memsizeBytes[ordinal],
    location: siteLabelOf(dump, dump.siteOrdinal[ordinal]),
    value: stringPrefixOf(dump, ordinal),
  }));
}

export function largeObjects(dump: HeapDump, minBytes: number, top: number): SummaryLargeObjectRow[] {
  const picked = largest(dump, dump.memsizeBytes, (ordinal) => dump.memsizeBytes[ordinal] > minBytes, top);
  return picked.map((ordinal) => ({
    address: formatAddress(dump.address[ordinal]),
    type: typeNameOf(dump.typeCode[ordinal]),
    className: classNameOf(dump, ordinal),
    memsizeBytes: dump.memsizeBytes[ordinal],
    location: siteLabelOf(dump, dump.siteOrdinal[ordinal]),
  }));
}
