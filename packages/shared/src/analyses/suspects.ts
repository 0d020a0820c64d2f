/**
 * The leak-suspects report: objects allocated between `before` and `after`
 * and still alive in `later` (the 3-dump method, series-diff.ts), clustered
 * by their nearest non-retained dominator in `later` (suspect-clusters.ts),
 * ranked by the bytes fixing each would free, then by count. Each suspect
 * says what holds it, how that holder is held, which allocation sites and
 * classes are involved with their growth over the dumps, one representative
 * retainer path from a ROOT line, and a hint (suspect-hints.ts).
 *
 * Only `later` needs its references (it is the graph that is searched);
 * `before` and `after` need identity columns only.
 */
import { NO_ORDINAL, type HeapDump } from '../store/heap-dump.ts';
import { typeNameOf } from '../store/object-types.ts';
import { siteLocationOf } from '../diff/group-counts.ts';
import { SeriesDiffBuilder } from '../diff/series-diff.ts';
import { TripleKeyTable } from '../diff/triple-key-table.ts';
import type { AllocationRow, DiffIdentity } from '../diff/diff-types.ts';
import { objectGraphOf } from '../graph/object-graph.ts';
import { retainerPathOf, type PathHop } from '../graph/retainer-path.ts';
import { hintFor, type SuspectPattern } from './suspect-hints.ts';
import { clusterRetained, type SuspectClusters } from './suspect-clusters.ts';
import { detectAppRoot, shortLocation } from './app-root.ts';
import { describeHolder, type SuspectHolder } from './suspect-holder.ts';

export interface Suspect {
  rank: number;
  title: string;
  /** likely-retained objects in this cluster */
  count: number;
  /** bytes the GC could free if the holder let go (retained sizes of the members it holds directly) */
  retainedBytes: number;
  /** sum of the members' own memsize */
  memsizeBytes: number;
  holder: SuspectHolder;
  /** class names of the members, most frequent first */
  classNames: string[];
  /** allocation sites (`file:line`) of the members, most frequent first */
  locations: string[];
  /** the members grouped by (type, class, location), with live counts in each dump */
  allocations: AllocationRow[];
  /** live objects of the main allocation group in each dump */
  growth: number[];
  /** hops from a ROOT line to a representative member */
  retainerPath: PathHop[];
  pattern: SuspectPattern;
  hint: string;
}

export interface SuspectsReport {
  identity: DiffIdentity;
  /** all likely-retained objects (new in `after`, alive in `later`) */
  retainedCount: number;
  retainedMemsizeBytes: number;
  clusterCount: number;
  /** objects of `later` that no ROOT line reaches (attached to the synthetic root) */
  unreachableInLater: number;
  /** the Rails app root found in the allocation files (titles show sites relative to it), or null */
  appRoot: string | null;
  suspects: Suspect[];
  /** the same likely-retained objects clustered by allocation (type, class, site) instead of holder, most first */
  byAllocation: AllocationRow[];
}

export interface SuspectsOptions {
  /** how many suspects to describe (default 20) */
  limit?: number;
  /** allocation rows kept per suspect (default 10) and in `byAllocation` (default 50) */
  allocationLimit?: number;
}

/** Members of the chosen clusters grouped by (type, class, site), in one pass. */
function allocationsOfClusters(later: HeapDump, clusters: SuspectClusters, chosen: number[]): Array<Array<Omit<AllocationRow, 'liveCounts'>>> {
  const slotOfCluster = new Uint32Array(clusters.clusterCount).fill(NO_ORDINAL);
  chosen.forEach((cluster, slot) => (slotOfCluster[cluster] = slot));
  const table = new TripleKeyTable();
  const tally: number[] = [];
  const bytes: number[] = [];
  for (let ordinal = 0; ordinal < later.objectCount; ordinal++) {
    const cluster = clusters.clusterOfObject[ordinal];
    if (cluster === NO_ORDINAL || slotOfCluster[cluster] === NO_ORDINAL) continue;
    const key = table.slotOf(slotOfCluster[cluster] * 256 + later.typeCode[ordinal], later.classOrdinal[ordinal], later.siteOrdinal[ordinal]);
    tally[key] = (tally[key] ?? 0) + 1;
    bytes[key] = (bytes[key] ?? 0) + later.memsizeBytes[ordinal];
  }
  const rows: Array<Array<Omit<AllocationRow, 'liveCounts'>>> = chosen.map(() => []);
  for (let key = 0; key < table.size; key++) {
    const [slotAndType, classOrdinal, siteOrdinal] = table.keysOf(key);
    rows[Math.floor(slotAndType / 256)].push({
      type: typeNameOf(slotAndType % 256),
      className: later.classes.names[classOrdinal],
      location: siteLocationOf(later, siteOrdinal),
      count: tally[key],
      memsizeBytes: bytes[key],
    });
  }
  for (const list of rows) list.sort((a, b) => b.count - a.count || b.memsizeBytes - a.memsizeBytes);
  return rows;
}

function distinctByCount(rows: AllocationRow[], pick: (row: AllocationRow) => string): string[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(pick(row), (totals.get(pick(row)) ?? 0) + row.count);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([label]) => label);
}

const formatCount = (count: number): string => count.toLocaleString('en-US');

/** "<holder> holds 2,400 objects: 300 Ahoy::Event allocated at event.rb:14, and 2,100 more from 6 other sites". */
function titleOf(holder: SuspectHolder, count: number, headline: AllocationRow | undefined, siteCount: number, appRoot: string | null): string {
  const objects = count === 1 ? 'object' : 'objects';
  const subject =
    holder.kind === 'unreachable'
      ? `${formatCount(count)} ${objects} no ROOT line reaches`
      : holder.kind === 'several-roots'
        ? `${formatCount(count)} ${objects} reachable from several ROOT lines`
        : `${holder.description} holds ${formatCount(count)} ${objects}`;
  if (!headline) return subject;
  const rest = count - headline.count;
  const more = rest > 0 ? `, and ${formatCount(rest)} more from ${siteCount > 1 ? `${siteCount - 1} other site${siteCount > 2 ? 's' : ''}` : 'the same site'}` : '';
  return `${subject}: ${formatCount(headline.count)} ${headline.className} allocated at ${shortLocation(headline.location, appRoot)}${more}`;
}

/** Suspects from an already-fed diff builder (after + before + later added); `later` must have references. */
export function suspectsFromDiff(builder: SeriesDiffBuilder, later: HeapDump, options: SuspectsOptions = {}): SuspectsReport {
  const selection = builder.selection();
  const { retainedInAfter, afterToLater } = selection;
  if (!retainedInAfter || !afterToLater) throw new MissingLaterDumpError();
  const retained = new Uint8Array(later.objectCount);
  let retainedCount = 0;
  let retainedMemsizeBytes = 0;
  for (let ordinal = 0; ordinal < retainedInAfter.length; ordinal++) {
    if (retainedInAfter[ordinal] === 0) continue;
    const laterOrdinal = afterToLater[ordinal];
    retained[laterOrdinal] = 1;
    retainedCount++;
    retainedMemsizeBytes += later.memsizeBytes[laterOrdinal];
  }
  const graph = objectGraphOf(later);
  const clusters = clusterRetained(later, graph.dominators, graph.retainedSizes.retainedBytes, retained);
  const order = Array.from({ length: clusters.clusterCount }, (_, cluster) => cluster).sort(
    (a, b) => clusters.retainedBytes[b] - clusters.retainedBytes[a] || clusters.count[b] - clusters.count[a],
  );
  const chosen = order.slice(0, options.limit ?? 20);
  const allocations = allocationsOfClusters(later, clusters, chosen);
  const appRoot = detectAppRoot(later);
  // the live counts of every suspect's rows, asked for at once
  const liveCounts = builder.liveCountsOfAllocations(allocations.flat());
  let nextLiveCounts = 0;
  const suspects = chosen.map((cluster, index): Suspect => {
    const rows = allocations[index].map((row) => ({ ...row, liveCounts: liveCounts[nextLiveCounts++] }));
    // the headline group is the representative's: what the holder holds directly (the events, not their strings)
    const representative = clusters.representative[cluster];
    const holder = describeHolder(later, graph.paths, clusters.holderOf[cluster], representative);
    const locations = distinctByCount(rows, (row) => row.location);
    const headline =
      rows.find(
        (row) =>
          row.type === typeNameOf(later.typeCode[representative]) &&
          row.className === later.classes.names[later.classOrdinal[representative]] &&
          row.location === siteLocationOf(later, later.siteOrdinal[representative]),
      ) ?? rows[0];
    const growth = headline?.liveCounts ?? [];
    const hint = hintFor({
      holderType: holder.type,
      holderClassName: holder.className,
      holderHeldAs: holder.heldAs,
      holderParentType: holder.parentType,
      members: rows,
      growth,
    });
    return {
      rank: index + 1,
      title: titleOf(holder, clusters.count[cluster], headline, locations.length, appRoot),
      count: clusters.count[cluster],
      retainedBytes: clusters.retainedBytes[cluster],
      memsizeBytes: clusters.memsizeBytes[cluster],
      holder,
      classNames: distinctByCount(rows, (row) => row.className),
      locations,
      allocations: rows.slice(0, options.allocationLimit ?? 10),
      growth,
      retainerPath: retainerPathOf(later, graph.paths, representative),
      pattern: hint.pattern,
      hint: hint.text,
    };
  });
  return {
    identity: builder.identity(),
    retainedCount,
    retainedMemsizeBytes,
    clusterCount: clusters.clusterCount,
    unreachableInLater: graph.dominators.unreachableCount,
    appRoot,
    suspects,
    byAllocation: (builder.result().retained?.byAllocation ?? []).slice(0, options.allocationLimit ?? 50),
  };
}

/** Thrown when suspects are asked of a diff that has no `later` dump. */
export class MissingLaterDumpError extends Error {
  override readonly name = 'MissingLaterDumpError';
  constructor() {
    super('leak suspects need three dumps: before, after and later');
  }
}

export function findSuspects(before: HeapDump, after: HeapDump, later: HeapDump, options: SuspectsOptions = {}): SuspectsReport {
  const builder = new SeriesDiffBuilder(after);
  builder.addBefore(before);
  builder.addLater(later);
  return suspectsFromDiff(builder, later, options);
}
