/**
 * The HTTP Range header of RFC 9110 §14, for one byte range. Several ranges
 * in one request are answered with the whole file (the RFC allows ignoring
 * Range), which keeps responses single-part; resumable downloaders only ever
 * ask for one.
 */

export type RangeDecision =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; endInclusive: number }
  | { kind: 'unsatisfiable' };

export function decideRange(header: string | undefined, sizeBytes: number): RangeDecision {
  if (header === undefined) return { kind: 'full' };
  const match = /^bytes=\s*(\d*)-(\d*)\s*$/.exec(header.trim());
  // Not one byte range (another unit, several ranges, garbage): ignore Range.
  if (match === null || (match[1] === '' && match[2] === '')) return { kind: 'full' };
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || sizeBytes === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, sizeBytes - suffix), endInclusive: sizeBytes - 1 };
  }
  const start = Number(match[1]);
  if (start >= sizeBytes) return { kind: 'unsatisfiable' };
  const end = match[2] === '' ? sizeBytes - 1 : Number(match[2]);
  // "bytes=9-3" is syntactically invalid, and an invalid Range is ignored.
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, endInclusive: Math.min(end, sizeBytes - 1) };
}

/** A strong validator from what identifies the file's content: inode, size, mtime. */
export function etagOf(ino: number, sizeBytes: number, mtimeMs: number): string {
  return `"${ino.toString(36)}-${sizeBytes.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
}

/** If-None-Match matches when it lists the tag (weak comparison) or is "*". */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** If-Range: an ETag must match strongly; a date must equal Last-Modified to the second. */
export function ifRangeHolds(header: string | undefined, etag: string, mtimeMs: number): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const dateMs = Date.parse(value);
  return !Number.isNaN(dateMs) && Math.floor(dateMs / 1000) === Math.floor(mtimeMs / 1000);
}
