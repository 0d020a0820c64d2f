/**
 * A DataView over the last byte array asked for, remade only when the array
 * changes: the parser's word loads (four bytes per load in compares, copies
 * and SWAR searches) read the same chunk or pool for many lines in a row.
 */
export class WordView {
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));

  of(bytes: Uint8Array): DataView {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.view;
  }
}
