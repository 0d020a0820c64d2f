/**
 * Worker thread for `parseInParallel`: claims byte ranges of an uncompressed
 * dump file from the back (range-claims.ts) until none is left, scans each
 * (`scanFileRange`) and posts its ScanPart back with the range and
 * its typed arrays transferred, not copied. With references, the worker
 * keeps each part's references (`holdReferences`): once every range is
 * scanned it posts `scanned`, waits for the whole dump's address table
 * (a SlotTableState sharing its cells, or null when the dump's addresses
 * needed the sorted index), and answers `resolved`: per range its references
 * as ordinals, or as the addresses themselves when there was no table, and
 * when asked (`withOrder`) the dump's ordinals in address order read from
 * the table. A
 * worker that holds nothing posts `done` instead of `scanned`. A failure is
 * posted as plain data (name, message, and for a refused file what it looked
 * like), since an Error subclass does not survive the structured clone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AddressSlotTable, type SlotTableState } from '@leakpilot/shared/parse/address-slot-table.ts';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { DANGLING } from '@leakpilot/shared/parse/finish-dump.ts';
import { holdReferences, transferablesOf } from '@leakpilot/shared/parse/parse-parts.ts';
import { RangeClaims } from './range-claims.ts';
import { scanFileRange } from './scan-file-range.ts';

export interface ParsePartWorkerData {
  path: string;
  sizeBytes: number;
  references: boolean;
  /** RangeClaims.buffer of the parsing thread */
  claims: SharedArrayBuffer;
}

export interface HeldAnswer {
  /** the first byte of the part's range */
  rangeStart: number;
  /** ordinals (DANGLING for absent addresses), or the addresses when there was no table */
  answer: Uint32Array | Float64Array;
}

const { path, sizeBytes, references, claims: claimsBuffer } = workerData as ParsePartWorkerData;
const claims = new RangeClaims(claimsBuffer);

function postError(error: unknown): void {
  const lookedLike = error instanceof NotAHeapDumpError ? error.lookedLike : undefined;
  parentPort?.postMessage({ error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error), lookedLike } });
}

/** `withOrder`: also read the dump's address order from the table (the merging thread has its own references to resolve meanwhile). */
function answerHeld(held: Map<number, Float64Array>, table: SlotTableState | null, withOrder: boolean): void {
  const index = table === null ? null : AddressSlotTable.fromState(table);
  const answers: HeldAnswer[] = [];
  for (const [rangeStart, addresses] of held) {
    if (index === null) {
      answers.push({ rangeStart, answer: addresses });
      continue;
    }
    const resolved = new Uint32Array(addresses.length);
    index.resolveAll(addresses, addresses.length, resolved, DANGLING);
    answers.push({ rangeStart, answer: resolved });
  }
  held.clear();
  const order = withOrder && index !== null ? index.ordinalsByAddress() : undefined;
  const transfer = answers.map(({ answer }) => answer.buffer as ArrayBuffer);
  if (order) transfer.push(order.buffer as ArrayBuffer);
  parentPort?.postMessage({ resolved: answers, ordinalsByAddress: order }, transfer);
}

try {
  const held = new Map<number, Float64Array>();
  for (let range = claims.claimBack(); range !== null; range = claims.claimBack()) {
    const part = await scanFileRange({ path, sizeBytes, references, ...range });
    if (part.references.length > 0) held.set(range.start, holdReferences(part));
    parentPort?.postMessage({ range, part }, transferablesOf(part));
  }
  if (held.size === 0) parentPort?.postMessage({ done: true });
  else {
    parentPort?.once('message', ({ table, withOrder }: { table: SlotTableState | null; withOrder: boolean }) => {
      try {
        answerHeld(held, table, withOrder);
      } catch (error) {
        postError(error);
      }
    });
    parentPort?.postMessage({ scanned: true });
  }
} catch (error) {
  postError(error);
}
