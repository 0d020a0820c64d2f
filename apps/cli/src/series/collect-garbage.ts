/**
 * A full garbage collection on demand, for the diff's main thread.
 *
 * Why: a dump's digest is typed arrays, outside V8's JS heap. V8 frees them
 * only when a collection runs, and the diff's main thread allocates almost no
 * JS objects: it waits while a worker parses the next dump. Measured on the
 * three ~1 GB bench dumps, the `before` digest and the match arrays
 * (~110 MB) stayed resident through the whole parse of `later`, beside it:
 * peak RSS 500 MB instead of ~400. Collecting right after they are dropped
 * costs a few milliseconds (the JS heap is a few MB).
 *
 * `gc` is reached the documented way for a running process: the
 * `--expose-gc` flag set through node:v8, then read from a fresh context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

export function collectGarbage(): void {
  if (collect === null) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
