/**
 * Names the class rows once every line has been read. A row made from a
 * `class` address takes the `name` of the CLASS/MODULE line at that address;
 * a singleton class is shown as `#<Class:Attached>` when the object it is
 * attached to is a named class or module (found as the CLASS/MODULE line
 * whose own `class` is that singleton; `#<Class:#<Class:0x…>>` for an anonymous
 * one), else `#<Class:#<RealClass>>` from
 * `real_class_name`; an unnamed class as `#<Class:0x…>` (`#<Module:0x…>`);
 * a class whose line is not in the dump (e.g. a `since:` dump) as
 * `(unknown class 0x…)`. Every CLASS/MODULE line gets a row, referenced or not.
 */
import { ClassKind, type ClassTable } from '../store/heap-dump.ts';
import { FlagBit } from '../store/flags.ts';
import { formatAddress } from '../store/lookup.ts';
import { TypeCode } from '../store/object-types.ts';
import type { DumpBuilder } from './dump-builder.ts';
import type { ClassLineRows } from './object-row-sink.ts';

/** The CLASS/MODULE lines' rows, gathered from a dump's object columns. */
export function classLineRowsOf(builder: DumpBuilder, address: Float64Array, typeCode: Uint8Array, flagBits: Uint16Array, classOrdinal: Uint32Array): ClassLineRows {
  const ordinals = builder.classLineOrdinal.array.subarray(0, builder.classLineOrdinal.length);
  return {
    address: Float64Array.from(ordinals, (ordinal) => address[ordinal]),
    typeCode: Uint8Array.from(ordinals, (ordinal) => typeCode[ordinal]),
    flagBits: Uint16Array.from(ordinals, (ordinal) => flagBits[ordinal]),
    classOrdinal: Uint32Array.from(ordinals, (ordinal) => classOrdinal[ordinal]),
  };
}

export function finishClassTable(builder: DumpBuilder, lines: ClassLineRows): ClassTable {
  const refs = builder.classRefs;
  const names = builder.names.strings;
  const lineCount = builder.classLineOrdinal.length;
  const rowOfLine = new Uint32Array(lineCount);

  for (let line = 0; line < lineCount; line++) {
    const ordinal = builder.classLineOrdinal.array[line];
    const address = lines.address[line];
    const row = refs.ordinalOfAddress(address);
    rowOfLine[line] = row;
    refs.objectOrdinal.array[row] = ordinal;
    const name = names[builder.classLineName.array[line]];
    const isModule = lines.typeCode[line] === TypeCode.MODULE;
    if (name !== '') {
      refs.names[row] = name;
      refs.kind.array[row] = ClassKind.named;
    } else if ((lines.flagBits[line] & FlagBit.singleton) !== 0) {
      const realName = names[builder.classLineRealName.array[line]];
      refs.names[row] = realName !== '' ? `#<Class:#<${realName}>>` : `#<Class:${formatAddress(address)}>`;
      refs.kind.array[row] = ClassKind.singleton;
    } else {
      refs.names[row] = `#<${isModule ? 'Module' : 'Class'}:${formatAddress(address)}>`;
      refs.kind.array[row] = ClassKind.anonymous;
    }
  }

  // A singleton's attached object is the class whose `class` field points at it.
  // Two rounds name singletons of singletons (`#<Class:#<Class:Foo>>`).
  for (let round = 0; round < 2; round++) {
    for (let line = 0; line < lineCount; line++) {
      const metaRow = lines.classOrdinal[line];
      if (refs.kind.array[metaRow] !== ClassKind.singleton) continue;
      const attachedRow = rowOfLine[line];
      const attachedKind = refs.kind.array[attachedRow];
      if (attachedKind === ClassKind.named || attachedKind === ClassKind.anonymous || (round > 0 && attachedKind === ClassKind.singleton)) {
        refs.names[metaRow] = `#<Class:${refs.names[attachedRow]}>`;
      }
    }
  }

  for (let row = 1; row < refs.count; row++) {
    if (refs.kind.array[row] === ClassKind.missing) refs.names[row] = `(unknown class ${formatAddress(refs.address.array[row])})`;
  }

  return {
    names: refs.names,
    address: refs.address.trimmed(),
    kind: refs.kind.trimmed(),
    objectOrdinal: refs.objectOrdinal.trimmed(),
  };
}
