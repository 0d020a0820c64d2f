/**
 * /api/v1/dumps: the heap dump files, and /api/v1/dumps/:id, one of them
 * streamed with Range (resumable downloads), ETag / Last-Modified validators
 * and gzip on the fly for clients that accept it. A ranged request is always
 * answered with identity encoding, since byte offsets of an on-the-fly gzip
 * stream would not be stable between requests.
 */
import { Hono } from 'hono';
import type { DumpsResponse } from '@leakpilot/shared/api/agent-api.ts';
import { ApiError } from '../errors.ts';
import type { DownloadSlots } from '../http/download-slots.ts';
import { acceptsGzip, fileBody } from '../http/file-body.ts';
import { decideRange, etagOf, ifRangeHolds, noneMatchHits } from '../http/range.ts';
import { DUMP_ID_PATTERN } from '../sources/dumps/dump-ids.ts';
import type { DumpStore, OpenedDump } from '../sources/dumps/dump-store.ts';

/** RFC 6266: an ASCII fallback name, plus the UTF-8 name (RFC 8187) when they differ. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === name) return `attachment; filename="${name}"`;
  // RFC 8187 attr-char has no ' ( ) *, which encodeURIComponent leaves as they are.
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function dumpsRoutes(store: DumpStore, slots: DownloadSlots): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const body: DumpsResponse = { globs: store.globs.map((g) => g.source), dumps: await store.scan() };
    return c.json(body);
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!DUMP_ID_PATTERN.test(id)) throw new ApiError('bad_request', 'a dump id is 22 base64url characters from /api/v1/dumps');
    const release = slots.tryAcquire();
    if (release === null) {
      throw new ApiError('too_many_downloads', `at most ${slots.capacity} downloads run at once; retry later`, { 'Retry-After': '5' });
    }
    let dump: OpenedDump;
    try {
      dump = await store.open(id);
    } catch (error) {
      release();
      throw error;
    }
    const etag = etagOf(dump.ino, dump.sizeBytes, dump.mtimeMs);
    const headers: Record<string, string> = {
      'Content-Type': dump.gzipped ? 'application/gzip' : 'application/x-ndjson',
      'Content-Disposition': contentDisposition(dump.name),
      'Last-Modified': new Date(dump.mtimeMs).toUTCString(),
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
      ETag: etag,
    };
    const finish = async (): Promise<void> => {
      await dump.handle.close();
      release();
    };
    if (noneMatchHits(c.req.header('If-None-Match'), etag)) {
      await finish();
      return c.body(null, 304, headers);
    }
    const range = ifRangeHolds(c.req.header('If-Range'), etag, dump.mtimeMs)
      ? decideRange(c.req.header('Range'), dump.sizeBytes)
      : { kind: 'full' as const };
    if (range.kind === 'unsatisfiable') {
      await finish();
      throw new ApiError('range_not_satisfiable', `the file has ${dump.sizeBytes} bytes`, {
        'Content-Range': `bytes */${dump.sizeBytes}`,
      });
    }
    const isHead = c.req.raw.method === 'HEAD';
    const gzip = range.kind === 'full' && dump.sizeBytes > 0 && !dump.gzipped && acceptsGzip(c.req.header('Accept-Encoding'));
    let start = 0;
    let endInclusive = dump.sizeBytes - 1;
    let status: 200 | 206 = 200;
    if (range.kind === 'partial') {
      ({ start, endInclusive } = range);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${endInclusive}/${dump.sizeBytes}`;
    }
    if (gzip) {
      headers['Content-Encoding'] = 'gzip';
      headers.ETag = `${etag.slice(0, -1)}-gz"`;
    } else {
      headers['Content-Length'] = String(endInclusive - start + 1);
    }
    if (isHead || dump.sizeBytes === 0) {
      await finish();
      return c.body(null, status, headers);
    }
    const body = fileBody(c.req.raw, dump.handle, { start, endInclusive, gzip, onClose: release });
    return c.body(body, status, headers);
  });

  return app;
}
