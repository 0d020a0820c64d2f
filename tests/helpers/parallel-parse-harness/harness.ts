// The page side of tests/web-parallel-parse.test.ts: bundled by Vite (as the
// PWA is, so the engine worker starts its dump part workers from the same
// `new Worker(new URL(...))` it uses in production) and loaded in real
// Chromium. It parses the file chosen in #dump with the real EngineClient,
// one thread or in forced byte ranges, and returns only plain data: what the
// engine reports about the dump, and the progress it showed on the way.
import { EngineClient } from '../../../apps/web/src/lib/engine-client/engine-client.ts';
import { engineErrorKind } from '../../../apps/web/src/lib/engine-client/engine-errors.ts';
import type { EngineProgress } from '../../../apps/web/src/lib/engine-client/engine-protocol.ts';

const engine = new EngineClient({ maxWorkers: 1 });

function chosenFile(): File {
  const file = (document.getElementById('dump') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no file chosen in #dump');
  return file;
}

/** What the engine tells about a parsed dump, with its id blanked so two parses compare. */
async function report(dumpId: string) {
  const blank = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(dumpId, '<dump>')) as unknown;
  const summary = await engine.call<{ largeObjects: { address: string }[] }>('summary', [dumpId], [dumpId]);
  const firstRows = await engine.call('rows', [dumpId], [`objects:${dumpId}`, 0, 500, null]);
  const largest = summary.largeObjects[0]?.address;
  const inspection = largest ? await engine.call('inspect', [dumpId], [dumpId, largest]) : null;
  return { summary: blank(summary), firstRows: blank(firstRows), inspection: blank(inspection) };
}

const harness = {
  /** Parses the chosen file and keeps the dump open; rangeCount 1 = one thread. Errors come back as data. */
  async parse(dumpId: string, rangeCount: number) {
    const progress: EngineProgress[] = [];
    const startedAtMs = performance.now();
    try {
      const info = await engine.openDump(dumpId, { kind: 'blob', blob: chosenFile() }, { rangeCount, onProgress: (p) => progress.push(p) });
      const durationMs = performance.now() - startedAtMs;
      const described = await report(dumpId);
      return { ok: true as const, info: { ...info, dumpId: '<dump>', parseDurationMs: 0 }, durationMs, ...described, progress };
    } catch (error) {
      return { ok: false as const, error: { name: (error as Error).name, kind: engineErrorKind(error), message: (error as Error).message }, progress };
    }
  },

  /** Frees a parsed dump (its engine worker ends when it holds nothing else). */
  async close(dumpId: string) {
    await engine.close(dumpId);
  },

  /** Parses the chosen file only (no analyses), for timing; `readMs` ends at the first 'resolve' progress (the ranges are read). */
  async time(rangeCount: number) {
    const startedAtMs = performance.now();
    let readMs: number | null = null;
    const info = await engine.openDump('timed', { kind: 'blob', blob: chosenFile() }, {
      rangeCount,
      onProgress: (p) => {
        if (p.phase === 'resolve' && readMs === null) readMs = performance.now() - startedAtMs;
      },
    });
    const durationMs = performance.now() - startedAtMs;
    await engine.close('timed');
    return { durationMs, readMs, workerParseMs: info.parseDurationMs, objectCount: info.objectCount, rangeCount: info.rangeCount };
  },

  /** Starts a parse in ranges and cancels it once some bytes are read. */
  async cancelWhileReading(rangeCount: number) {
    let cancelled = false;
    const parse = engine.openDump('cancelled', { kind: 'blob', blob: chosenFile() }, {
      rangeCount,
      onProgress: (p) => {
        if (p.phase === 'read' && p.doneBytes > 0 && !cancelled) cancelled = engine.cancel('cancelled');
      },
    });
    try {
      await parse;
      return { cancelled, error: null };
    } catch (error) {
      return { cancelled, error: { name: (error as Error).name, kind: engineErrorKind(error) } };
    }
  },
};

(window as unknown as { harness: typeof harness }).harness = harness;
document.title = 'harness ready';
