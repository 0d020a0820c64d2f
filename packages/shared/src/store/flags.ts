/**
 * Boolean facts of an object line packed into `HeapDump.flagBits` (Uint16Array).
 * Covers the `flags` object (`wb_protected`, `old`, `uncollectible`, `marked`,
 * `pinned`) and the top-level booleans Ruby writes (`frozen`, `fstring`,
 * `shared`, `embedded`, `broken`, `singleton`, `too_complex_shape`).
 * Bit positions are part of the session file format: append, never reorder.
 */
export const FlagBit = {
  wbProtected: 1 << 0,
  old: 1 << 1,
  uncollectible: 1 << 2,
  marked: 1 << 3,
  pinned: 1 << 4,
  frozen: 1 << 5,
  fstring: 1 << 6,
  shared: 1 << 7,
  embedded: 1 << 8,
  broken: 1 << 9,
  singleton: 1 << 10,
  tooComplexShape: 1 << 11,
  /** the line carried allocation info (file/line/method/generation) */
  traced: 1 << 12,
  /** the line could only be read in part (see the problem report) */
  recovered: 1 << 13,
} as const;

export type FlagName = keyof typeof FlagBit;

export function flagNamesOf(bits: number): FlagName[] {
  return (Object.keys(FlagBit) as FlagName[]).filter((name) => (bits & FlagBit[name]) !== 0);
}
