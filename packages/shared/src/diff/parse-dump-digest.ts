/**
 * `parseDumpDigest`: reads a dump straight into its DumpDigest (what the
 * diff keeps of the older dumps), never holding it as a HeapDump. The
 * reading is parseHeapDump's (gzip, refusal of non-dumps, problems,
 * progress, cancel) with an identity-only DumpBuilder whose rows go to
 * DigestRows; the finish names the classes and sites of the digest's
 * groups and takes the address order (from the column's ascending runs,
 * store/address-runs.ts, when they do not overlap, as in Ruby's dumps).
 *
 * Same digest as `digestDump(parseHeapDump(input, { references: false }))`,
 * for 20 bytes an object during the parse instead of 27 and no second pass.
 */
import { addressOrderOfColumn, type FinishInput } from '../parse/finish-dump.ts';
import { finishClassTable } from '../parse/class-table-finisher.ts';
import { readHeapDump, type ParseOptions } from '../parse/parse-heap-dump.ts';
import type { ParseProblemReport } from '../parse/problems.ts';
import { typeNameOf } from '../store/object-types.ts';
import { DigestRows } from './digest-rows.ts';
import { NO_SITE_LABEL, type DumpDigest, type SlotLabels } from './dump-digest.ts';

export interface ParsedDigest {
  digest: DumpDigest;
  /** the parse's problem report, as a HeapDump would carry it */
  problems: ParseProblemReport;
}

export type DigestParseOptions = Omit<ParseOptions, 'references' | 'stringPrefixBytes'>;

function finishDigest(input: FinishInput, rows: DigestRows, minColumnBytes: number): ParsedDigest {
  const { builder } = input;
  const { address, tag, slot, memsizeBytes } = rows.take();
  input.onPhase?.('resolve');
  const ordinalsByAddress = addressOrderOfColumn(builder, address, minColumnBytes);
  input.onPhase?.('index');
  const classes = finishClassTable(builder, builder.classLineRows());
  const sites = builder.sites;
  const siteStrings = builder.siteStrings.strings;
  const labels: SlotLabels[] = [];
  for (let slot = 0; slot < rows.tuples.size; slot++) {
    const [type, classRow, site] = rows.tuples.keysOf(slot);
    const location = site === 0 ? NO_SITE_LABEL : `${siteStrings[sites.fileIndexOf(site)]}:${sites.lineOf(site)}`;
    labels.push({ type: typeNameOf(type), className: classes.names[classRow], location });
  }
  const digest: DumpDigest = {
    objectCount: rows.length,
    address,
    tag,
    slot,
    memsizeBytes,
    ordinalsByAddress,
    labels,
    tracedCount: rows.tracedCount,
  };
  return { digest, problems: builder.problems };
}

export function parseDumpDigest(input: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: DigestParseOptions = {}): Promise<ParsedDigest> {
  return readHeapDump(input, { ...options, references: false }, {
    makeSink: (expectedObjects) => new DigestRows(expectedObjects, options.minColumnBytes),
    finish: (finishInput, rows) => finishDigest(finishInput, rows, options.minColumnBytes ?? 0),
  });
}
