// A real HTTP server (node:http) for download tests: serves one byte buffer
// with Range/If-Range (ETag), can drop connections after some bytes, ignore
// ranges, or gzip full responses on the fly, and records every request's
// Range header. Bound to 127.0.0.1 on a free port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface RangeServerBehaviour {
  /** for the first drops.length responses: close the connection after this many body bytes */
  drops?: number[];
  ignoreRange?: boolean;
  gzipWhenAccepted?: boolean;
  /** status for every request instead of the file */
  failWithStatus?: number;
}

export interface RangeFileServer {
  url: string;
  rangeHeaders: (string | null)[];
  acceptEncodings: (string | null)[];
  authorizations: (string | null)[];
  close(): Promise<void>;
}

export async function startRangeFileServer(body: Uint8Array, behaviour: RangeServerBehaviour = {}): Promise<RangeFileServer> {
  const etag = `"len-${body.byteLength}"`;
  const drops = [...(behaviour.drops ?? [])];
  const rangeHeaders: (string | null)[] = [];
  const acceptEncodings: (string | null)[] = [];
  const authorizations: (string | null)[] = [];
  const gzipped = behaviour.gzipWhenAccepted ? gzipSync(body) : null;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    rangeHeaders.push(req.headers.range ?? null);
    acceptEncodings.push(req.headers['accept-encoding'] ?? null);
    authorizations.push(req.headers.authorization ?? null);
    if (behaviour.failWithStatus) {
      res.writeHead(behaviour.failWithStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such dump' } }));
      return;
    }
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const rangeApplies = match && !behaviour.ignoreRange && (!ifRange || ifRange === etag);
    if (rangeApplies) {
      start = Number(match[1]);
      if (start >= body.byteLength) {
        res.writeHead(416, { 'content-range': `bytes */${body.byteLength}` });
        res.end();
        return;
      }
    }
    const useGzip = !rangeApplies && gzipped !== null && (req.headers['accept-encoding'] ?? '').includes('gzip');
    const payload = useGzip ? gzipped : body.subarray(start);
    const headers: Record<string, string> = { etag, 'content-type': 'application/octet-stream', 'content-length': String(payload.byteLength), 'accept-ranges': 'bytes' };
    if (useGzip) headers['content-encoding'] = 'gzip';
    if (rangeApplies) headers['content-range'] = `bytes ${start}-${body.byteLength - 1}/${body.byteLength}`;
    res.writeHead(rangeApplies ? 206 : 200, headers);
    const dropAfter = drops.shift();
    if (dropAfter === undefined) {
      res.end(payload);
      return;
    }
    // The connection ends after exactly `dropAfter` body bytes (a FIN, not a
    // reset): with destroy() after a fixed delay, a client slowed by a loaded
    // machine lost the bytes still in its receive buffer to the RST, and the
    // resume offset depended on timing (seen in CI: 481,069 instead of 500,000).
    res.write(payload.subarray(0, dropAfter), () => res.socket?.end());
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dump`,
    rangeHeaders,
    acceptEncodings,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
