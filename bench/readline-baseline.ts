/**
 * Issue 2's baseline, which the parse and diff sections both measure
 * against: Node's readline plus `JSON.parse` on every line, keeping nothing
 * but counts (object lines, references).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface BaselineCounts {
  lines: number;
  /** lines with an address that are not SHAPE or NONE lines */
  objects: number;
  references: number;
}

export async function readlineJsonParse(paths: readonly string[]): Promise<BaselineCounts> {
  const counts: BaselineCounts = { lines: 0, objects: 0, references: 0 };
  for (const path of paths) {
    for await (const line of createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
      const parsed = JSON.parse(line) as { address?: string; type: string; references?: string[] };
      counts.lines++;
      if (parsed.address !== undefined && parsed.type !== 'SHAPE' && parsed.type !== 'NONE') counts.objects++;
      counts.references += parsed.references?.length ?? 0;
    }
  }
  return counts;
}
