/**
 * How a holder holds one of its references, in words a Ruby developer reads
 * at a glance (`@events`, `[12]`, `value at "cache:key:7"`). The dump lists a
 * holder's references as bare addresses, so a label is only given where the
 * dump lets us derive it; otherwise the answer is the honest "reference".
 * - ARRAY: references are the elements in order, immediates (small Integers,
 *   nil, true, false, static Symbols) left out. When the reference count
 *   equals the array length nothing was left out and positions are indexes.
 * - HASH: references alternate key, value per entry, immediates left out;
 *   when the count is exactly 2 x size, odd positions are values and the key
 *   before a value names it (a String key's first bytes).
 * - OBJECT on Ruby 3.2+: its shape chain (SHAPE lines, `shape_id`) lists the
 *   ivar names in definition order; when their count equals the reference
 *   count the names line up with the references.
 * - CLASS/MODULE: constants, class variables and class-level ivars are mixed
 *   with methods and the superclass in one list, so the label says so, except
 *   for a nested class or module, which is held as the constant of its name.
 */
import type { HeapDump } from '../store/heap-dump.ts';
import { shapeIdOf, stringPrefixOf } from '../store/lookup.ts';
import { displayClassName } from './class-objects.ts';
import { singletonClassEdgeOf } from './retaining-edge.ts';
import { TypeCode } from '../store/object-types.ts';

const MAX_KEY_CHARS = 40;

/** Position of `target` among `holder`'s references, or -1. */
function positionOf(dump: HeapDump, holder: number, target: number): number {
  const begin = dump.firstReferenceOffset[holder];
  const end = dump.firstReferenceOffset[holder + 1];
  for (let offset = begin; offset < end; offset++) if (dump.referenceTarget[offset] === target) return offset - begin;
  return -1;
}

/** Ivar names of a shape, root first (empty when the dump has no shapes). */
export function ivarNamesOfShape(dump: HeapDump, shapeId: number): string[] {
  const { id, parentId, shapeTypeIndex, edgeNameIndex, strings, count } = dump.shapes;
  if (count === 0) return [];
  const names: string[] = [];
  let current = shapeId;
  for (let guard = 0; guard < count; guard++) {
    let row = -1;
    // shape ids are usually the row numbers; fall back to a scan when not
    if (current < count && id[current] === current) row = current;
    else row = id.indexOf(current);
    if (row < 0) break;
    if (strings[shapeTypeIndex[row]] === 'IVAR' && edgeNameIndex[row] !== 0) names.push(strings[edgeNameIndex[row]]);
    if (parentId[row] === current || strings[shapeTypeIndex[row]] === 'ROOT') break;
    current = parentId[row];
  }
  return names.reverse();
}

/**
 * A class holding a class or module whose name is nested in its own
 * (`Ahoy` holding `Ahoy::Event`, `Object` holding a top-level `Ahoy`) holds it
 * as that constant; anything else a class holds may be a constant, a class
 * variable or a class-level ivar, and the dump does not say which.
 */
function classReferenceLabel(dump: HeapDump, holder: number, target: number): string {
  const targetType = dump.typeCode[target];
  if (targetType === TypeCode.CLASS || targetType === TypeCode.MODULE) {
    const holderName = displayClassName(dump, holder);
    const targetName = displayClassName(dump, target);
    if (holderName === 'Object' && /^[A-Z][\w]*$/.test(targetName)) return `constant ${targetName}`;
    if (targetName.startsWith(`${holderName}::`) && !targetName.slice(holderName.length + 2).includes('::')) {
      return `constant ${targetName.slice(holderName.length + 2)}`;
    }
  }
  return 'constant, class variable or class-level ivar';
}

export function describeReference(dump: HeapDump, holder: number, target: number): string {
  const referenceCount = dump.firstReferenceOffset[holder + 1] - dump.firstReferenceOffset[holder];
  const position = positionOf(dump, holder, target);
  if (position < 0 && singletonClassEdgeOf(dump, holder) === target) return 'singleton class';
  const typeCode = dump.typeCode[holder];
  if (typeCode === TypeCode.ARRAY) {
    return referenceCount === dump.sizeField[holder] && position >= 0 ? `element [${position}]` : 'Array element';
  }
  if (typeCode === TypeCode.HASH) {
    if (referenceCount !== 2 * dump.sizeField[holder] || position < 0) return 'Hash key or value';
    if (position % 2 === 0) return 'Hash key';
    const key = dump.referenceTarget[dump.firstReferenceOffset[holder] + position - 1];
    const prefix = stringPrefixOf(dump, key);
    if (prefix === null) return 'Hash value';
    const shown = prefix.length > MAX_KEY_CHARS ? `${prefix.slice(0, MAX_KEY_CHARS)}…` : prefix;
    return `value at ${dump.typeCode[key] === TypeCode.SYMBOL ? ':' : ''}${JSON.stringify(shown)}`;
  }
  if (typeCode === TypeCode.OBJECT) {
    const shape = shapeIdOf(dump, holder);
    if (shape !== null && position >= 0) {
      const names = ivarNamesOfShape(dump, shape);
      if (names.length === referenceCount) return names[position];
    }
    return 'instance variable';
  }
  if (typeCode === TypeCode.CLASS || typeCode === TypeCode.MODULE) return classReferenceLabel(dump, holder, target);
  if (typeCode === TypeCode.STRUCT) return 'Struct member';
  if (typeCode === TypeCode.DATA) return 'internal reference (C data)';
  return 'reference';
}
