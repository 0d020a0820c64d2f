/**
 * The object inspector's answer for one address: the object's own fields,
 * its references (with how it holds each), its retainers (with how each holds
 * it), the ROOT lines that reference it, its immediate dominator, retained
 * size and shortest path from a ROOT line. Reference and retainer lists are
 * capped (a 330,000-element Array exists in real dumps); the counts are not.
 */
import { NO_ORDINAL, NO_GENERATION, type HeapDump } from '../store/heap-dump.ts';
import { flagNamesOf } from '../store/flags.ts';
import { fileDescriptorOf, formatAddress, ordinalOfAddress, parseAddress, siteLabelOf, siteMethodOf, stringPrefixOf, stringValueBytesOf } from '../store/lookup.ts';
import { typeNameOf } from '../store/object-types.ts';
import { DOMINATED_BY_SYNTHETIC_ROOT } from '../graph/dominators.ts';
import type { ObjectGraph } from '../graph/object-graph.ts';
import { describeReference } from '../graph/reference-labels.ts';
import { retainerPathOf } from '../graph/retainer-path.ts';
import { rootCategoriesReferencing } from '../graph/retainers.ts';
import { ROOT_PARENT_BASE } from '../graph/shortest-paths.ts';
import type { ObjectInspection, ObjectRef } from './engine-api.ts';
import { EngineRequestError, ObjectNotFoundError } from './engine-errors.ts';

export const MAX_LISTED_REFERENCES = 200;

export function objectRefOf(dump: HeapDump, ordinal: number, label: string): ObjectRef {
  return {
    address: formatAddress(dump.address[ordinal]),
    type: typeNameOf(dump.typeCode[ordinal]),
    className: dump.classes.names[dump.classOrdinal[ordinal]],
    memsizeBytes: dump.memsizeBytes[ordinal],
    label,
  };
}

/** Ordinal of an address given as text, or ObjectNotFoundError / EngineRequestError. */
export function ordinalOfAddressText(dump: HeapDump, dumpId: string, addressText: string): number {
  let address: number;
  try {
    address = parseAddress(addressText.trim());
  } catch {
    throw new EngineRequestError(`not an address: ${JSON.stringify(addressText)} (expected 0x followed by hex digits)`);
  }
  const ordinal = ordinalOfAddress(dump, address);
  if (ordinal === NO_ORDINAL) throw new ObjectNotFoundError(dumpId, formatAddress(address));
  return ordinal;
}

export function inspectObject(dumpId: string, graph: ObjectGraph, addressText: string): ObjectInspection {
  const dump = graph.dump;
  const ordinal = ordinalOfAddressText(dump, dumpId, addressText);
  const references: ObjectRef[] = [];
  const begin = dump.firstReferenceOffset[ordinal];
  const end = dump.firstReferenceOffset[ordinal + 1];
  for (let offset = begin; offset < end && references.length < MAX_LISTED_REFERENCES; offset++) {
    const target = dump.referenceTarget[offset];
    references.push(objectRefOf(dump, target, describeReference(dump, ordinal, target)));
  }
  const { firstRetainerOffset, retainerOrdinal } = graph.retainers;
  const retainers: ObjectRef[] = [];
  for (let offset = firstRetainerOffset[ordinal]; offset < firstRetainerOffset[ordinal + 1] && retainers.length < MAX_LISTED_REFERENCES; offset++) {
    const holder = retainerOrdinal[offset];
    retainers.push(objectRefOf(dump, holder, describeReference(dump, holder, ordinal)));
  }
  const dominatorCode = graph.dominators.dominatorOf[ordinal];
  let dominator: ObjectRef | string;
  if (dominatorCode === DOMINATED_BY_SYNTHETIC_ROOT) dominator = graph.dominators.attachedToRoot[ordinal] === 1 ? 'unreachable from ROOT lines' : 'several roots';
  else if (dominatorCode >= ROOT_PARENT_BASE) dominator = `ROOT ${dump.roots.categories[dominatorCode - ROOT_PARENT_BASE]}`;
  else dominator = objectRefOf(dump, dominatorCode, 'immediate dominator');
  const generation = dump.generation[ordinal];
  return {
    dumpId,
    address: formatAddress(dump.address[ordinal]),
    ordinal,
    type: typeNameOf(dump.typeCode[ordinal]),
    className: dump.classes.names[dump.classOrdinal[ordinal]],
    location: siteLabelOf(dump, dump.siteOrdinal[ordinal]),
    method: siteMethodOf(dump, dump.siteOrdinal[ordinal]),
    generation: generation === NO_GENERATION ? null : generation,
    memsizeBytes: dump.memsizeBytes[ordinal],
    retainedBytes: graph.retainedSizes.retainedBytes[ordinal],
    size: dump.sizeField[ordinal],
    flags: flagNamesOf(dump.flagBits[ordinal]),
    stringPrefix: stringPrefixOf(dump, ordinal),
    stringValueBytes: stringValueBytesOf(dump, ordinal),
    fileDescriptor: fileDescriptorOf(dump, ordinal),
    referenceCount: end - begin,
    references,
    retainerCount: firstRetainerOffset[ordinal + 1] - firstRetainerOffset[ordinal],
    retainers,
    rootCategories: rootCategoriesReferencing(dump, ordinal).map((category) => dump.roots.categories[category]),
    dominator,
    pathToRoot: retainerPathOf(dump, graph.paths, ordinal),
  };
}
