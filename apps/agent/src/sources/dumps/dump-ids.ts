/**
 * Opaque dump ids. An id is the first 22 base64url characters (132 bits) of
 * HMAC-SHA256(secret, "<viaPid or host>\0<path>") with a secret drawn at
 * start, so ids are stable for the agent's lifetime, reveal nothing about the
 * path, and cannot be forged or guessed. An id is only ever looked up in the
 * table filled by a scan; it is never decoded into a path.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const DUMP_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export class DumpIdMinter {
  constructor(private readonly secret: Uint8Array = randomBytes(32)) {}

  idFor(viaPid: number | null, path: string): string {
    return createHmac('sha256', this.secret)
      .update(`${viaPid ?? 'host'}\0${path}`)
      .digest('base64url')
      .slice(0, 22);
  }
}
