/**
 * V8 settings the CLI process runs its parses with. V8's flags are
 * per-process, so they also hold for its parsing workers; the PWA runs on
 * the browser's own settings.
 *
 * Inlining budget: TurboFan stops inlining into a function once the callees
 * it took add up to `--max-inlined-bytecode-size-cumulative` bytecodes (920
 * by default). The scanner's key loop and the line splitter reach that with
 * half their hot helpers still behind calls (readFlags, readHexString,
 * scanString, the line scan itself). At 2760 (3x) they are inlined: the
 * build phase of the 1 GB bench dump took 2251-2384 ms against 2469-2622 ms
 * at the default (3 interleaved runs each); 1840 and 4600 gained less.
 */
import { setFlagsFromString } from 'node:v8';

export const INLINED_BYTECODES_CUMULATIVE = 2760;

/** Sets the flags; before the parser's functions are first optimized, since they are read at each compilation (setting them again changes nothing). */
export function tuneV8ForParsing(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODES_CUMULATIVE}`);
}
