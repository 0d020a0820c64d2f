/**
 * Ruby heap object types as they appear in the `type` field of a dump line,
 * mapped to small integer codes stored in `HeapDump.typeCode` (a Uint8Array).
 * The order is part of the session file format: append, never reorder.
 */
export const OBJECT_TYPE_NAMES = [
  'UNKNOWN',
  'OBJECT',
  'CLASS',
  'MODULE',
  'FLOAT',
  'STRING',
  'REGEXP',
  'ARRAY',
  'HASH',
  'STRUCT',
  'BIGNUM',
  'FILE',
  'DATA',
  'MATCH',
  'COMPLEX',
  'RATIONAL',
  'SYMBOL',
  'IMEMO',
  'ICLASS',
  'ZOMBIE',
  'MOVED',
  'NODE',
  'NIL',
  'TRUE',
  'FALSE',
  'FIXNUM',
  'UNDEF',
] as const;

export type ObjectTypeName = (typeof OBJECT_TYPE_NAMES)[number];

export const TypeCode = Object.fromEntries(OBJECT_TYPE_NAMES.map((name, code) => [name, code])) as {
  readonly [K in ObjectTypeName]: number;
};

export function typeNameOf(typeCode: number): ObjectTypeName {
  return OBJECT_TYPE_NAMES[typeCode] ?? 'UNKNOWN';
}

export function typeCodeOf(typeName: string): number {
  const code = (TypeCode as Record<string, number | undefined>)[typeName];
  return code ?? TypeCode.UNKNOWN;
}
