/**
 * A deliberately small, independent reader of `ObjectSpace.dump_all` files for
 * the Puma end-to-end test: it answers "how many objects allocated at this
 * file:line were allocated between dump 1 and dump 2 and are still alive in
 * dump 3?" without the engine, so the engine's answer can be checked against it.
 *
 * Identity across dumps is address + type + generation (addresses are reused
 * after GC; generation is GC.count at allocation, present with allocation
 * tracing on). It keeps one string per object, which is fine for the test
 * app's ~50k-object heaps and is not how the engine works.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

interface DumpLine {
  address?: string;
  type?: string;
  generation?: number;
  file?: string;
  line?: number;
}

export interface DumpIndex {
  /** identity keys of every object in the dump */
  identities: Set<string>;
  /** identity key -> `file:line` of objects that have an allocation site */
  siteByIdentity: Map<string, string>;
  objectCount: number;
}

function identityOf(line: DumpLine): string {
  return `${line.address}|${line.type}|${line.generation ?? ''}`;
}

export async function indexDump(path: string): Promise<DumpIndex> {
  const identities = new Set<string>();
  const siteByIdentity = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text.length === 0) continue;
    const line = JSON.parse(text) as DumpLine;
    if (line.address === undefined || line.type === 'ROOT' || line.type === 'SHAPE') continue;
    const identity = identityOf(line);
    identities.add(identity);
    if (line.file !== undefined && line.line !== undefined) siteByIdentity.set(identity, `${line.file}:${line.line}`);
  }
  return { identities, siteByIdentity, objectCount: identities.size };
}

/**
 * Per allocation site (`file:line`): objects present in `second`, absent from
 * `first` and still present in `third`.
 */
export function newInSecondRetainedInThird(first: DumpIndex, second: DumpIndex, third: DumpIndex): Map<string, number> {
  const countBySite = new Map<string, number>();
  for (const [identity, site] of second.siteByIdentity) {
    if (first.identities.has(identity) || !third.identities.has(identity)) continue;
    countBySite.set(site, (countBySite.get(site) ?? 0) + 1);
  }
  return countBySite;
}
