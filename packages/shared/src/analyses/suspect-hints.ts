/**
 * Matches a suspect cluster to a known Rails leak pattern and says what to
 * look at, in the words of the pattern. First match wins, most specific
 * first: file descriptors, a cache Hash that only grows, event/analytics
 * objects piling up in a buffer, app objects held at class level or in a
 * global, large strings. The hint is advice about a *likely* leak: the dump
 * shows what holds the objects, not why the code keeps them.
 */
export type SuspectPattern =
  | 'file-descriptors'
  | 'growing-cache-hash'
  | 'event-accumulation'
  | 'class-level-holder'
  | 'large-strings'
  | 'unclassified';

export interface HintInput {
  holderType: string;
  holderClassName: string;
  /** how the holder itself is held (the previous hop of its path), e.g. 'constant, class variable or class-level ivar' */
  holderHeldAs: string;
  /** type of the holder's own holder ('CLASS', 'MODULE', 'ROOT', ...) */
  holderParentType: string;
  /** rows of the cluster, largest first */
  members: Array<{ type: string; className: string; count: number; memsizeBytes: number }>;
  /** live counts in each dump of the cluster's main allocation */
  growth: number[];
}

const FD_CLASSES = /^(File|IO|Socket|BasicSocket|TCPSocket|TCPServer|UDPSocket|UNIXSocket|UNIXServer|Tempfile|OpenSSL::SSL::SSLSocket)$/;
const EVENT_CLASSES = /(event|analytic|track|metric|audit|log|visit|impression|notification)/i;
const LARGE_STRING_BYTES = 4096;

export interface Hint {
  pattern: SuspectPattern;
  text: string;
}

function withArticle(noun: string): string {
  return /^[AEIOU]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function onlyGrows(growth: number[]): boolean {
  return growth.length >= 2 && growth.every((live, i) => i === 0 || live > growth[i - 1]);
}

export function hintFor(input: HintInput): Hint {
  const total = input.members.reduce((sum, row) => sum + row.count, 0);
  const fdCount = input.members.filter((row) => row.type === 'FILE' || FD_CLASSES.test(row.className)).reduce((sum, row) => sum + row.count, 0);
  if (fdCount > 0) {
    return {
      pattern: 'file-descriptors',
      text: `${fdCount} File/socket objects are retained: each keeps an open file descriptor until it is closed or collected. Close them in an ensure block (or use the block form of File.open / a connection pool) and check ls /proc/<pid>/fd.`,
    };
  }
  const strings = input.members.filter((row) => row.type === 'STRING');
  const stringBytes = strings.reduce((sum, row) => sum + row.memsizeBytes, 0);
  const stringCount = strings.reduce((sum, row) => sum + row.count, 0);
  const largeStrings = stringCount > 0 && stringBytes / stringCount >= LARGE_STRING_BYTES;
  const classLevel = input.holderParentType === 'CLASS' || input.holderParentType === 'MODULE' || input.holderParentType === 'ROOT';
  if (input.holderType === 'HASH' && (onlyGrows(input.growth) || classLevel)) {
    return {
      pattern: 'growing-cache-hash',
      text: `A Hash ${classLevel ? 'held at class level (a constant, class variable or global) ' : ''}only grows: it behaves like a cache without eviction${largeStrings ? ' and its values are large strings' : ''}. Give it a size limit or expiry (Rails.cache with expires_in, an LRU), or key it so entries repeat.`,
    };
  }
  const appObjects = input.members.filter((row) => row.type === 'OBJECT');
  const eventLike = appObjects.some((row) => EVENT_CLASSES.test(row.className)) || EVENT_CLASSES.test(input.holderClassName);
  if (eventLike && (input.holderType === 'ARRAY' || input.holderType === 'HASH' || input.holderType === 'OBJECT')) {
    const names = [...new Set(appObjects.map((row) => row.className))].slice(0, 3).join(', ');
    return {
      pattern: 'event-accumulation',
      text: `Event/analytics objects (${names || input.holderClassName}) accumulate in ${withArticle(input.holderClassName)} ${classLevel ? 'held at class level' : ''} and are never flushed. Flush or cap the buffer (send in batches, clear after delivery), and keep per-request data out of class-level state.`.replace(/ {2,}/g, ' '),
    };
  }
  if (classLevel && appObjects.length > 0) {
    return {
      pattern: 'class-level-holder',
      text: `Instances of ${appObjects[0].className} are held by ${withArticle(input.holderClassName)} reachable from a class variable, constant or global: they live as long as the process. Hold per-request objects in local variables or request-scoped state (CurrentAttributes resets per request), not in class-level collections.`,
    };
  }
  if (largeStrings) {
    return {
      pattern: 'large-strings',
      text: `${stringCount} large strings (about ${Math.round(stringBytes / stringCount / 1024)} KB each) are retained by ${withArticle(input.holderClassName)}. Look for memoized responses, rendered bodies or file contents kept after the request.`,
    };
  }
  return {
    pattern: 'unclassified',
    text: `${total} objects allocated between the first two dumps are still alive${input.holderClassName ? ` under this ${input.holderClassName}` : ''}. Follow the retainer path to the code that keeps adding to it; a handful of objects is usually a one-time cache warming up, not a leak.`,
  };
}
