/**
 * Refuses, from the first bytes, inputs that are plainly not a Ruby heap
 * dump, before any columns are allocated: empty files, HTML/XML pages, PNG
 * and other binaries, V8 `.heapsnapshot` files, JSON documents that are not
 * dump lines. A dump line starts with `{"address":"0x` or `{"type":"` (ROOT
 * lines); a leading UTF-8 BOM or blank lines are tolerated.
 */
import { NotAHeapDumpError } from './errors.ts';

const EXPECTED = 'LeakPilot expected a Ruby heap dump: ObjectSpace.dump_all output, one JSON object per line (optionally gzip-compressed)';
const decoder = new TextDecoder('utf-8');

function refuse(lookedLike: string): never {
  throw new NotAHeapDumpError(lookedLike, `This file looks like ${lookedLike}. ${EXPECTED}.`);
}

function looksBinary(head: Uint8Array): boolean {
  let controls = 0;
  const sample = Math.min(head.length, 512);
  for (let i = 0; i < sample; i++) {
    const byte = head[i];
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) controls++;
  }
  return controls > sample / 20;
}

export function sniffHeapDump(head: Uint8Array): void {
  let start = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
  while (start < head.length && (head[start] === 0x0a || head[start] === 0x0d || head[start] === 0x20 || head[start] === 0x09)) start++;
  if (start >= head.length) refuse('an empty file');
  const bytes = head.subarray(start);
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) refuse('a PNG image');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) refuse('a gzip file inside a gzip file');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) refuse('a ZIP archive');
  const text = decoder.decode(bytes.subarray(0, 256));
  const compact = text.replace(/\s+/g, '');
  if (compact.startsWith('<')) refuse(/<(!doctype html|html)/i.test(text) ? 'an HTML page' : 'an XML or HTML document');
  if (compact.startsWith('{"snapshot":')) refuse('a V8/Chrome heap snapshot (.heapsnapshot)');
  if (looksBinary(bytes)) refuse('a binary file');
  if (compact.startsWith('{"address":"0x') || compact.startsWith('{"type":"')) return;
  if (compact.startsWith('{') || compact.startsWith('[')) refuse('a JSON document that is not a Ruby heap dump');
  refuse('a text file that is not JSON');
}
