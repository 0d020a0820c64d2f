/**
 * The byte-level scanner of one `ObjectSpace.dump_all` line: walks the JSON
 * object key by key, recognises the keys LeakPilot stores (by bytes, not by
 * position: key order differs between Ruby versions; see dump-keys.ts) and
 * fills a reused LineRecord with numbers and byte spans; the bulky values
 * (strings, `file`/`method`, references, flags) are read by ValueReaders.
 * No strings are built and nothing is allocated per line; unknown keys are
 * skipped structurally.
 *
 * Tolerance (real dumps are not always JSON):
 * - `file` and `method` values Ruby wrote unescaped or garbled are
 *   re-delimited and noted as problems (see value-readers.ts).
 * - A line that ends early (truncated file) or breaks the grammar elsewhere
 *   keeps every field read before the break; the caller decides whether the
 *   object can be kept.
 */
import { FlagBit } from '../store/flags.ts';
import { ByteLookup } from './byte-lookup.ts';
import { CLOSE_BRACE, COLON, COMMA, LOWER_T, OPEN_BRACE, QUOTE, ScanStop } from './byte-cursor.ts';
import { DUMP_KEYS, FIRST_BOOLEAN_KEY, K, keyLengthOf, LAST_BOOLEAN_KEY, recogniseKey } from './dump-keys.ts';
import type { LineRecord } from './line-record.ts';
import { ValueReaders } from './value-readers.ts';
import { WordView } from './word-view.ts';

const keyLookup = new ByteLookup(DUMP_KEYS);

/** top-level boolean keys in DUMP_KEYS order from `frozen` on */
const BOOLEAN_KEY_BITS = [
  FlagBit.frozen, FlagBit.embedded, FlagBit.fstring, FlagBit.shared, FlagBit.broken, FlagBit.singleton, FlagBit.tooComplexShape,
];
export class LineScanner extends ValueReaders {
  private readonly words = new WordView();

  /** A DataView over the buffer of the latest scan, for word loads by the line's handler. */
  get lineWords(): DataView {
    return this.view;
  }

  /** Offset just after the last byte the latest scan consumed (after `}` on success). */
  get endOffset(): number {
    return this.pos;
  }

  /** Scans `buffer[start, end)` (one line without its newline) into `record`. */
  scan(buffer: Uint8Array, start: number, end: number, record: LineRecord): void {
    this.buffer = buffer;
    this.view = this.words.of(buffer);
    this.end = end;
    this.pos = start;
    record.reset(this.referenceSink.length);
    try {
      this.scanObject(record);
    } catch (stop) {
      if (!(stop instanceof ScanStop)) throw stop;
      record.incomplete = true;
      record.noteProblem(stop.reason, stop.detail);
    }
  }

  private scanObject(record: LineRecord): void {
    this.expect(OPEN_BRACE);
    this.skipSpaces();
    if (this.buffer[this.pos] === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    const buffer = this.buffer;
    const end = this.end;
    this.expect(QUOTE);
    for (;;) {
      const keyStart = this.pos;
      let key = recogniseKey(buffer, this.view, keyStart, end);
      if (key !== -1) {
        this.pos = keyStart + keyLengthOf(key) + 2;
        if (buffer[this.pos] === 0x20) this.skipSpaces();
      } else {
        let keyEnd = keyStart;
        while (keyEnd < end && buffer[keyEnd] !== QUOTE) keyEnd++;
        if (keyEnd >= end) {
          this.pos = end;
          this.stop('unterminated key');
        }
        key = keyLookup.find(buffer, keyStart, keyEnd);
        this.pos = keyEnd + 1;
        this.expect(COLON);
        this.skipSpaces();
      }
      const valueStart = this.pos;
      if (key >= FIRST_BOOLEAN_KEY && key <= LAST_BOOLEAN_KEY && buffer[valueStart] === LOWER_T && buffer[valueStart + 3] === 0x65 && valueStart + 4 < end) {
        // `"frozen":true` and the other top-level flags: Ruby writes only `true`
        record.flagBits |= BOOLEAN_KEY_BITS[key - FIRST_BOOLEAN_KEY];
        this.pos = valueStart + 4;
      } else this.scanValue(key, record);
      // Ruby's separator is exactly `, "`: step over it without the general path.
      const at = this.pos;
      if (buffer[at] === COMMA && buffer[at + 1] === 0x20 && buffer[at + 2] === QUOTE && at + 2 < end) {
        this.pos = at + 3;
        continue;
      }
      this.skipSpaces();
      if (this.pos >= this.end) this.stop('line ended inside the object');
      const next = this.buffer[this.pos++];
      if (next === COMMA) {
        this.expect(QUOTE);
        continue;
      }
      if (next === CLOSE_BRACE) return;
      this.pos--;
      this.stop(`unexpected '${String.fromCharCode(next)}' after a value`);
    }
  }

  /**
   * The keys on most lines, in a switch small enough for V8 to inline into
   * scanObject (the full switch is too big: a call per key); the rest go to
   * scanRareValue.
   */
  private scanValue(key: number, record: LineRecord): void {
    switch (key) {
      case K.address:
        this.readHexString();
        record.address = this.hexValue;
        return;
      case K.class:
        this.readHexString();
        record.classAddress = this.hexValue;
        return;
      case K.type:
        record.typeStart = this.pos + 1;
        record.typeEnd = this.scanString();
        return;
      case K.memsize:
        record.memsize = this.readNumber();
        return;
      case K.bytesize:
        record.sizeField = this.readNumber();
        return;
      case K.references:
        if (this.keepObjectReferences || Number.isNaN(record.address) || !this.skipReferences()) this.readReferences();
        return;
      case K.flags:
        this.readFlags(record);
        return;
      case K.value:
        // identity-only parses keep no string values: step over without hashing
        if (this.keepObjectReferences) this.readValueString(record);
        else this.skipValueString(record.sizeField);
        return;
      case K.imemo_type:
        record.imemoTypeStart = this.pos + 1;
        record.imemoTypeEnd = this.scanString();
        return;
      case K.encoding:
        // on every STRING line, and not stored: stepped over here
        if (this.buffer[this.pos] === QUOTE) this.scanString();
        else this.skipValue();
        return;
      default:
        this.scanRareValue(key, record);
    }
  }

  private scanRareValue(key: number, record: LineRecord): void {
    switch (key) {
      case K.length:
      case K.size:
        record.sizeField = this.readNumber();
        return;
      case K.line:
        record.line = this.readNumber();
        return;
      case K.generation:
        record.generation = this.readNumber();
        return;
      case K.fd:
        record.rare = true;
        record.fd = this.readNumber();
        return;
      case K.shape_id:
        record.shapeId = this.readNumber();
        return;
      case K.id:
        record.rare = true;
        record.shapeNumberId = this.readNumber();
        return;
      case K.parent_id:
        record.rare = true;
        record.shapeParentId = this.readNumber();
        return;
      case K.depth:
        record.rare = true;
        record.shapeDepth = this.readNumber();
        return;
      case K.file:
        this.readFileValue(record);
        return;
      case K.method:
        this.readMethodValue(record);
        return;
      case K.name:
        record.rare = true;
        record.nameStart = this.pos + 1;
        record.nameEnd = this.scanString();
        record.nameDirty = this.sawEscape || this.sawControl;
        return;
      case K.real_class_name:
        record.rare = true;
        record.realClassNameStart = this.pos + 1;
        record.realClassNameEnd = this.scanString();
        return;
      case K.struct:
        record.rare = true;
        record.structStart = this.pos + 1;
        record.structEnd = this.scanString();
        return;
      case K.root:
        record.rare = true;
        record.rootStart = this.pos + 1;
        record.rootEnd = this.scanString();
        return;
      case K.shape_type:
        record.rare = true;
        record.shapeTypeStart = this.pos + 1;
        record.shapeTypeEnd = this.scanString();
        return;
      case K.edge_name:
        record.rare = true;
        if (this.buffer[this.pos] !== QUOTE) {
          this.skipValue();
          return;
        }
        record.edgeNameStart = this.pos + 1;
        record.edgeNameEnd = this.scanString();
        return;
      default:
        if (key >= FIRST_BOOLEAN_KEY && key <= LAST_BOOLEAN_KEY) {
          if (this.buffer[this.pos] === LOWER_T) record.flagBits |= BOOLEAN_KEY_BITS[key - FIRST_BOOLEAN_KEY];
        }
        this.skipValue();
    }
  }

}
