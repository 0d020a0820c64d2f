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
 *
 * The parallel parse goes back to V8's default (`tuneV8ForParallelParsing`):
 * there every thread compiles the parser for itself (~77 TurboFan jobs and
 * ~0.5 s of compile time a thread at 2760, measured with --trace-opt) on
 * cores the parsing threads already fill, and the smaller functions are
 * ready sooner. The CLI's default parse of the 1 GB bench dump, 6
 * interleaved runs each: 1832-2136 ms (median ~1950) at 920, 1936-2068 ms
 * at 1840, 2002-2277 ms (median ~2100) at 2760. One thread keeps 2760:
 * median ~2415 ms against ~2435 ms at 920 (8 runs each), and the 3-dump
 * diff is the same at either (5.26-5.71 s against 5.41-5.75 s).
 */
import { setFlagsFromString } from 'node:v8';

export const INLINED_BYTECODES_CUMULATIVE = 2760;
/** V8's own default */
export const PARALLEL_INLINED_BYTECODES_CUMULATIVE = 920;

/** Sets the flags; before the parser's functions are first optimized, since they are read at each compilation. */
export function tuneV8ForParsing(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODES_CUMULATIVE}`);
}

/** The settings for a parse split over parsing threads; set before it starts (see the header). */
export function tuneV8ForParallelParsing(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${PARALLEL_INLINED_BYTECODES_CUMULATIVE}`);
}
