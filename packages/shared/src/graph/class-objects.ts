/**
 * The name a CLASS or MODULE row stands for. A class row's own `classOrdinal`
 * is its metaclass (`Class`, `#<Class:Foo>`); people want "Ahoy::Event".
 * The class table records which row each class is (`objectOrdinal`); this
 * module inverts that once per dump (the class table has thousands of rows,
 * not millions, so a Map is fine here).
 */
import { NO_ORDINAL, type HeapDump } from '../store/heap-dump.ts';
import { TypeCode } from '../store/object-types.ts';

const cache = new WeakMap<HeapDump, Map<number, number>>();

/** Class-table ordinal of the class that row `ordinal` is, or NO_ORDINAL. */
export function classOrdinalOfClassObject(dump: HeapDump, ordinal: number): number {
  let byObject = cache.get(dump);
  if (!byObject) {
    byObject = new Map();
    const { objectOrdinal } = dump.classes;
    for (let classOrdinal = 0; classOrdinal < objectOrdinal.length; classOrdinal++) {
      if (objectOrdinal[classOrdinal] !== NO_ORDINAL) byObject.set(objectOrdinal[classOrdinal], classOrdinal);
    }
    cache.set(dump, byObject);
  }
  return byObject.get(ordinal) ?? NO_ORDINAL;
}

/** For CLASS/MODULE rows the class's own name; for other rows the name of their class. */
export function displayClassName(dump: HeapDump, ordinal: number): string {
  const typeCode = dump.typeCode[ordinal];
  if (typeCode === TypeCode.CLASS || typeCode === TypeCode.MODULE) {
    const own = classOrdinalOfClassObject(dump, ordinal);
    if (own !== NO_ORDINAL) return dump.classes.names[own];
  }
  return dump.classes.names[dump.classOrdinal[ordinal]];
}
