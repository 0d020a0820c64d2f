/**
 * Cuts a stream of byte chunks into lines and hands each line to a callback
 * as `(buffer, start, end, byteOffset, unterminated)` without copying lines
 * that lie inside one chunk. Lines inside a chunk are first offered to the
 * handler's `tryAddLine`, which finds the line end while scanning it (one
 * pass over the bytes instead of a newline search plus a scan). A line that spans chunks is gathered as a list
 * of pieces and joined once when its newline arrives (never re-copied per
 * chunk, so a 200 MB line costs one copy). The joined-line buffer is reused.
 * The scanner never reads outside the typed array it is given (see push).
 */
export interface LineHandler {
  /** one whole line `buffer[start, end)` */
  addLine(buffer: Uint8Array, start: number, end: number, byteOffset: number, unterminated: boolean): void;
  /**
   * Tries to take the line starting at `start` without knowing its end (at
   * most `limit`); returns the offset of its newline, or -1 to be given the
   * line through addLine instead.
   */
  tryAddLine(buffer: Uint8Array, start: number, limit: number, byteOffset: number): number;
}

const NEWLINE = 0x0a;
/**
 * Zero bytes after a joined line, so the scanner's look-ahead of a few bytes
 * past a line's end stays inside the array (reads as a byte no rule matches).
 */
const JOIN_PADDING = 16;

export class LineSplitter {
  /** bytes of the current partial line, in order */
  private pieces: Uint8Array[] = [];
  private pieceBytes = 0;
  /** the joined line is `joined[0, joinedBytes)`, followed by JOIN_PADDING zero bytes */
  private joined = new Uint8Array(1 << 16);
  private joinedBytes = 0;
  /** stream offset of the first byte of the current chunk / partial line */
  private streamOffset = 0;
  private partialOffset = 0;

  constructor(private readonly handler: LineHandler) {}

  push(input: Uint8Array): void {
    // A plain Uint8Array view: Node's Buffer.indexOf calls into C++ per call,
    // and one array kind keeps the scanner's byte loads monomorphic.
    const chunk = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.length);
    let start = 0;
    const length = chunk.length;
    if (this.pieceBytes > 0) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        this.keepPiece(chunk.slice());
        this.streamOffset += length;
        return;
      }
      const joined = this.join(chunk.subarray(0, newline));
      this.emit(joined, 0, this.joinedBytes, this.partialOffset, false);
      start = newline + 1;
    }
    const handler = this.handler;
    // Lines are tried only up to the chunk's last newline: a scan never runs
    // off the end of the typed array, since an out-of-bounds load makes V8
    // recompile every load site of the scanner in its slower out-of-bounds mode.
    const limit = chunk.lastIndexOf(NEWLINE) + 1;
    while (start < limit) {
      const lineEnd = handler.tryAddLine(chunk, start, limit, this.streamOffset + start);
      if (lineEnd !== -1) {
        start = lineEnd + 1;
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, start);
      this.emit(chunk, start, newline, this.streamOffset + start, false);
      start = newline + 1;
    }
    if (start < length) {
      this.partialOffset = this.streamOffset + start;
      this.keepPiece(chunk.slice(start));
    }
    this.streamOffset += length;
  }

  /** Flushes a last line that had no newline. */
  end(): void {
    if (this.pieceBytes === 0) return;
    const joined = this.join(new Uint8Array(0));
    this.emit(joined, 0, this.joinedBytes, this.partialOffset, true);
  }

  get byteCount(): number {
    return this.streamOffset;
  }

  private emit(buffer: Uint8Array, start: number, end: number, byteOffset: number, unterminated: boolean): void {
    let stop = end;
    if (stop > start && buffer[stop - 1] === 0x0d) stop--;
    if (stop > start) this.handler.addLine(buffer, start, stop, byteOffset, unterminated);
  }

  private keepPiece(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.pieceBytes += piece.length;
  }

  private join(tail: Uint8Array): Uint8Array {
    const total = this.pieceBytes + tail.length;
    this.joinedBytes = total;
    if (this.joined.length < total + JOIN_PADDING) this.joined = new Uint8Array(Math.max(total + JOIN_PADDING, this.joined.length * 2));
    let at = 0;
    for (const piece of this.pieces) {
      this.joined.set(piece, at);
      at += piece.length;
    }
    this.joined.set(tail, at);
    this.joined.fill(0, total, total + JOIN_PADDING);
    this.pieces = [];
    this.pieceBytes = 0;
    return this.joined;
  }
}
