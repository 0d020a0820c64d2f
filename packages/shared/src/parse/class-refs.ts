/**
 * Assigns class ordinals while the parser reads lines, before the CLASS and
 * MODULE lines that name them have necessarily been seen. A row is created
 * the first time an address is met as a `class` (or as a CLASS/MODULE line),
 * or for a synthetic name such as `(IMEMO callcache)` (objects whose `class`
 * is not a class, or who have none). Names of address rows are filled in by
 * `ClassTableFinisher` once every line has been read.
 *
 * Row 0 is `(none)`. Rows stay few (one per class), so the synthetic rows
 * may use a JS Map keyed by a small number.
 */
import { ClassKind, NO_ORDINAL, type ClassKindCode } from '../store/heap-dump.ts';
import { AddressHash } from './address-hash.ts';
import { growFloat64, growUint32, growUint8 } from './growable.ts';

export class ClassRefs {
  readonly names: string[] = ['(none)'];
  readonly address = growFloat64(1024);
  readonly kind = growUint8(1024);
  readonly objectOrdinal = growUint32(1024);
  private readonly byAddress = new AddressHash(1024);
  private readonly syntheticByKey = new Map<number, number>();
  /** the address last asked for and its row (NaN never equals an address) */
  private lastAddress = NaN;
  private lastOrdinal = 0;
  /** synthetic rows by name, for merging parts scanned separately */
  private readonly syntheticByName = new Map<string, number>();

  constructor() {
    this.addRow(NaN, ClassKind.synthetic, '(none)');
  }

  get count(): number {
    return this.names.length;
  }

  private addRow(address: number, kind: ClassKindCode, name: string): number {
    const ordinal = this.kind.length;
    this.address.push(address);
    this.kind.push(kind);
    this.objectOrdinal.push(NO_ORDINAL);
    this.names[ordinal] = name;
    return ordinal;
  }

  ordinalOfAddress(address: number): number {
    // neighbouring lines share a heap page, and often a class: one entry of memo
    if (address === this.lastAddress) return this.lastOrdinal;
    let ordinal = this.byAddress.get(address);
    if (ordinal === -1) {
      ordinal = this.addRow(address, ClassKind.missing, '');
      this.byAddress.setIfAbsent(address, ordinal);
    }
    this.lastAddress = address;
    this.lastOrdinal = ordinal;
    return ordinal;
  }

  /**
   * The synthetic row registered for `key` (a small number chosen by the
   * caller, e.g. type code and interned imemo_type), or -1; the caller then
   * names it once with `registerSynthetic` (no closure allocated per line).
   */
  ordinalOfSynthetic(key: number): number {
    return this.syntheticByKey.get(key) ?? -1;
  }

  registerSynthetic(key: number, name: string): number {
    const ordinal = this.ordinalOfSyntheticName(name);
    this.syntheticByKey.set(key, ordinal);
    return ordinal;
  }

  ordinalOfSyntheticName(name: string): number {
    const known = this.syntheticByName.get(name);
    if (known !== undefined) return known;
    const ordinal = this.addRow(NaN, ClassKind.synthetic, name);
    this.syntheticByName.set(name, ordinal);
    return ordinal;
  }
}
