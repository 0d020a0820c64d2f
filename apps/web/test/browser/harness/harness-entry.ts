// The page-side half of the platform's browser tests: bundled by esbuild
// (harness-build.ts) and loaded in real Chromium, it exposes the platform
// modules on `window.harness` so tests drive them with page.evaluate. Only
// plain data goes back to the test.
import { openDB } from 'idb';
import { decodeSessionFile, encodeSessionFile, SessionFileError } from '@leakpilot/shared/session/index.ts';
import { AgentClient } from '../../../src/lib/agent-client/agent-client.ts';
import { EngineClient } from '../../../src/lib/engine-client/engine-client.ts';
import { engineErrorKind } from '../../../src/lib/engine-client/engine-errors.ts';
import type { DumpInput, EngineProgress } from '../../../src/lib/engine-client/engine-protocol.ts';
import { WritableFileSink } from '../../../src/lib/downloads/download-sink.ts';
import { deleteOpfsFile, opfsFileHandle } from '../../../src/lib/downloads/opfs.ts';
import { downloadWithResume } from '../../../src/lib/downloads/resumable-download.ts';
import { LeakPilotStorage } from '../../../src/lib/storage/leakpilot-storage.ts';
import { runMigrations } from '../../../src/lib/storage/storage-migrations.ts';
import type { LeakPilotDbSchema } from '../../../src/lib/storage/storage-schema.ts';

const engines: EngineClient[] = [];

function newEngine(maxWorkers: number): EngineClient {
  const engine = new EngineClient({ maxWorkers, createWorker: () => new Worker('/engine.worker.js', { type: 'module' }) });
  engines.push(engine);
  return engine;
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; kind: string; message: string } | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return { name: (error as Error).name, kind: engineErrorKind(error), message: (error as Error).message };
  }
}

const harness = {
  /** Creates a database at an old version with that version's migrations only, with one session row. */
  async createDatabaseAtVersion(dbName: string, version: number, sessionId: string): Promise<string[]> {
    const db = await openDB<LeakPilotDbSchema>(dbName, version, {
      upgrade(database, oldVersion, newVersion, transaction) {
        runMigrations(database, transaction, oldVersion, newVersion ?? version);
      },
    });
    await db.put('sessions', { id: sessionId, name: 'from version 1', createdAtMs: 1, updatedAtMs: 2, hosts: [], notes: 'old notes', checklist: [], deployMarkers: [], rootCauseFoundAtMs: null });
    const stores = [...db.objectStoreNames];
    db.close();
    return stores;
  },

  async openAndDescribe(dbName: string) {
    const storage = await LeakPilotStorage.open(dbName);
    const description = {
      version: storage.db.version,
      stores: [...storage.db.objectStoreNames].sort(),
      sessionIndexes: [...storage.db.transaction('sessions').store.indexNames],
      sessions: await storage.listSessions(),
    };
    storage.close();
    return description;
  },

  /** A newer version opened elsewhere: the open storage is told, closes, and the upgrade goes through. */
  async versionChange(dbName: string) {
    let told = false;
    const storage = await LeakPilotStorage.open(dbName, { onVersionChange: () => (told = true) });
    const newerVersion = storage.db.version + 1;
    const upgraded = await new Promise<number>((resolve, reject) => {
      const request = indexedDB.open(dbName, newerVersion);
      request.onsuccess = () => {
        const version = request.result.version;
        request.result.close();
        resolve(version);
      };
      request.onerror = () => reject(request.error);
    });
    return { told, upgraded, newerVersion };
  },

  async storageRoundTrip(dbName: string) {
    const storage = await LeakPilotStorage.open(dbName);
    const a = await storage.createSession('first', 1_000);
    const b = await storage.createSession('second', 2_000);
    await storage.renameSession(a.id, 'first, renamed', 3_000);
    await storage.updateSession(b.id, { notes: 'a note' }, 2_500);
    await storage.putDump(a.id, { id: 'dump-a1', name: 'a1.json.gz', sizeBytes: 10, pid: 1, capturedAtMs: 1, source: { kind: 'local-file', fileName: 'a1.json.gz' }, addedAtMs: 1 }, null, 4_000);
    await storage.putDump(a.id, { id: 'dump-a2', name: 'a2.json.gz', sizeBytes: 20, pid: 1, capturedAtMs: 2, source: { kind: 'agent', hostId: 'h', agentDumpId: 'x', opfsPath: 'dumps/x-a2.json.gz' }, addedAtMs: 2 }, null, 4_100);
    await storage.putResult(a.id, { id: 'res-1', kind: 'diff', dumpIds: ['dump-a1', 'dump-a2'], title: 'Compare', createdAtMs: 5, data: { rows: [1, 2, 3] } }, 5_000);
    await storage.putHost({ id: 'host-1', name: 'local', url: 'http://127.0.0.1:7373', token: 'secret', addedAtMs: 1, updatedAtMs: 1, sameOrigin: true });
    const listed = await storage.listSessions();
    const full = await storage.getSession(a.id);
    const exported = await encodeSessionFile(full, { producer: 'test', exportedAtMs: 6 });
    const decoded = await decodeSessionFile(new Blob([exported]));
    const imported = await storage.importSession(decoded.session, 7_000);
    const importedAgain = await storage.getSession(imported.id);
    await storage.deleteDump(a.id, 'dump-a1', 7_500);
    const afterDumpDelete = await storage.getSession(a.id);
    const opfsPaths = await storage.deleteSession(a.id);
    const afterDelete = await storage.listSessions();
    const resultsLeft = await storage.db.getAll('results');
    const hosts = await storage.listHosts();
    storage.close();
    return {
      listed,
      full,
      importedAgain,
      sameIds: importedAgain.id === full.id || importedAgain.dumps.some((d) => full.dumps.some((o) => o.id === d.id)),
      importedTextEqual: JSON.stringify({ ...importedAgain, id: '', updatedAtMs: 0, dumps: importedAgain.dumps.map((d) => ({ ...d, id: '' })), results: importedAgain.results.map((r) => ({ ...r, id: '', dumpIds: [] })) }) ===
        JSON.stringify({ ...full, id: '', updatedAtMs: 0, dumps: full.dumps.map((d) => ({ ...d, id: '' })), results: full.results.map((r) => ({ ...r, id: '', dumpIds: [] })) }),
      importedResultPointsAtImportedDumps: importedAgain.results[0].dumpIds.every((id) => importedAgain.dumps.some((d) => d.id === id)),
      afterDumpDelete: { dumps: afterDumpDelete.dumps.map((d) => d.id), results: afterDumpDelete.results.length },
      opfsPaths,
      afterDelete: afterDelete.map((s) => s.name),
      resultsLeft: resultsLeft.map((r) => r.sessionId === imported.id),
      hostTokens: hosts.map((h) => h.token),
    };
  },

  /** Importing a damaged file: the decode fails, and the stored sessions are exactly as before. */
  async importDamaged(dbName: string, fileUrl: string) {
    const storage = await LeakPilotStorage.open(dbName);
    const before = JSON.stringify(await storage.listSessions());
    let error: { name: string; code: string; message: string } | null = null;
    try {
      const decoded = await decodeSessionFile(await (await fetch(fileUrl)).blob());
      await storage.importSession(decoded.session);
    } catch (caught) {
      error = { name: (caught as Error).name, code: caught instanceof SessionFileError ? caught.code : '', message: (caught as Error).message };
    }
    const after = JSON.stringify(await storage.listSessions());
    storage.close();
    return { error, unchanged: before === after, sessionCount: JSON.parse(after).length as number };
  },

  /** Parses dumps from URLs (fetched inside the worker) and blobs, then runs an analysis. */
  async parseAndDiff(urls: string[], maxWorkers: number) {
    const engine = newEngine(maxWorkers);
    const progress: EngineProgress[] = [];
    const infos = await Promise.all(
      urls.map(async (url, index) => {
        const dumpId = `dump-${index + 1}`;
        // one input of each kind: a Blob, a URL the worker fetches, a fetch body transferred as a stream
        const absolute = new URL(url, location.href).href;
        const response = index === 1 ? null : await fetch(absolute);
        const input: DumpInput =
          index === 0
            ? { kind: 'blob', blob: await (response as Response).blob() }
            : index === 1
              ? { kind: 'url', url: absolute, headers: {} }
              : { kind: 'stream', stream: (response as Response).body as ReadableStream<Uint8Array>, totalBytes: Number((response as Response).headers.get('content-length')) };
        return engine.openDump(dumpId, input, { onProgress: (p) => progress.push(p) });
      }),
    );
    const workersAfterParse = engine.workerCount;
    const ids = infos.map((info) => info.dumpId);
    const diff = await engine.call<{ retained: { byClass: { className: string; count: number }[] } }>('diff', ids, [ids]);
    const suspects = await engine.call<{ suspects: { title: string; count: number }[] }>('suspects', ids, [ids]);
    const page = await engine.call<{ rowCount: number; rows: unknown[] }>('rows', ids, [`suspects:${ids.join(',')}`, 0, 5, null]);
    const summary = await engine.call<{ objects: number; byType: { count: number }[] }>('summary', [ids[0]], [ids[0]]);
    const unknownMethod = await errorOf(engine.call('constructor', [ids[0]], []));
    engine.dispose();
    return {
      infos,
      workersAfterParse,
      retainedEvents: diff.retained.byClass.find((row) => row.className === 'Ahoy::Event')?.count ?? null,
      topSuspect: suspects.suspects[0] ? { title: suspects.suspects[0].title, count: suspects.suspects[0].count } : null,
      pageRows: page.rows.length,
      summaryObjects: summary.objects,
      summaryTypeTotal: summary.byType.reduce((total, row) => total + row.count, 0),
      unknownMethod,
      phases: [...new Set(progress.map((p) => p.phase))],
      maxDoneBytes: Math.max(...progress.map((p) => p.doneBytes)),
    };
  },

  /** Starts a parse, cancels it while it runs, then parses again in the respawned worker. */
  async cancelThenParse(slowUrl: string, quickUrl: string) {
    const engine = newEngine(1);
    const lost: string[] = [];
    engine.onDumpsLost = (dumpIds) => lost.push(...dumpIds);
    await engine.openDump('early', { kind: 'url', url: new URL(quickUrl, location.href).href, headers: {} });
    let sawRead = false;
    const parse = engine.openDump('slow', { kind: 'url', url: new URL(slowUrl, location.href).href, headers: {} }, {
      onProgress: (p) => {
        if (p.phase === 'read' && !sawRead) {
          sawRead = true;
          engine.cancel('slow');
        }
      },
    });
    const cancelError = await errorOf(parse);
    const openAfterCancel = engine.openDumpIds;
    const info = await engine.openDump('quick', { kind: 'url', url: new URL(quickUrl, location.href).href, headers: {} });
    const notADump = await errorOf(engine.openDump('html', { kind: 'url', url: new URL('/index.html', location.href).href, headers: {} }));
    const notOpen = await errorOf(engine.call('inspect', ['nope'], ['nope', '0x1']));
    engine.dispose();
    return { sawRead, cancelError, lost, openAfterCancel, quickObjects: info.objectCount, notADump, notOpen };
  },

  /**
   * Parses one dump from a URL in a worker while watching the main thread:
   * returns the parse time and the longest main-thread task (longtask entries
   * are tasks over 50 ms; none means every task stayed under 50 ms).
   */
  async measureParse(url: string) {
    const longTasksMs: number[] = [];
    const observer = new PerformanceObserver((list) => longTasksMs.push(...list.getEntries().map((entry) => entry.duration)));
    observer.observe({ type: 'longtask', buffered: false });
    const engine = newEngine(1);
    let progressEvents = 0;
    const startedAtMs = performance.now();
    const info = await engine.openDump('measured', { kind: 'url', url: new URL(url, location.href).href, headers: {} }, { onProgress: () => (progressEvents += 1) });
    const durationMs = performance.now() - startedAtMs;
    await new Promise((resolve) => setTimeout(resolve, 200));
    observer.disconnect();
    engine.dispose();
    return { objectCount: info.objectCount, byteCount: info.byteCount, durationMs, workerParseMs: info.parseDurationMs, progressEvents, longTaskCount: longTasksMs.length, longestTaskMs: Math.max(0, ...longTasksMs) };
  },

  /**
   * With one worker allowed: three dumps parse one after another, each in a
   * worker of its own, and end up held in one worker; a queued parse is
   * cancelled before any worker starts for it; closing the last dump ends the
   * holding worker.
   */
  async queuedParses(urls: string[]) {
    let created = 0;
    const engine = new EngineClient({ maxWorkers: 1, createWorker: () => (created++, new Worker('/engine.worker.js', { type: 'module' })) });
    const phases = new Map<string, string[]>();
    const open = (dumpId: string, url: string) =>
      engine.openDump(dumpId, { kind: 'url', url: new URL(url, location.href).href, headers: {} }, { onProgress: (p) => phases.set(dumpId, [...(phases.get(dumpId) ?? []), p.phase]) });
    const first = open('q-1', urls[0]);
    const second = open('q-2', urls[1]);
    const third = open('q-3', urls[2]);
    const doomed = open('q-cancelled', urls[0]);
    const cancelledWhileQueued = engine.cancel('q-cancelled');
    const cancelError = await errorOf(doomed);
    await Promise.all([first, second, third]);
    const afterParses = { created, workers: engine.workerCount, open: engine.openDumpIds.sort() };
    const diff = await engine.call<{ retained: { byClass: { className: string; count: number }[] } }>('diff', ['q-1', 'q-2', 'q-3'], [['q-1', 'q-2', 'q-3']]);
    for (const id of ['q-1', 'q-2', 'q-3']) await engine.close(id);
    const afterClose = engine.workerCount;
    engine.dispose();
    return {
      afterParses,
      cancelledWhileQueued,
      cancelError,
      secondStartedQueued: phases.get('q-2')?.[0] === 'queued' && (phases.get('q-2') ?? []).includes('read'),
      cancelledPhases: phases.get('q-cancelled'),
      retainedEvents: diff.retained.byClass.find((row) => row.className === 'Ahoy::Event')?.count ?? null,
      afterClose,
    };
  },

  /** A worker that dies on an uncaught error while a parse waits on it: the parse must reject, not hang. */
  async crashingWorker() {
    const source = "setTimeout(() => { throw new Error('worker died'); }, 100);";
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const engine = new EngineClient({ maxWorkers: 1, createWorker: () => new Worker(url) });
    const error = await errorOf(engine.openDump('doomed', { kind: 'blob', blob: new Blob(['{}']) }));
    const workersAfter = engine.workerCount;
    engine.dispose();
    URL.revokeObjectURL(url);
    return { error, workersAfter };
  },

  /** What AgentClient makes of each agent URL from this page: the error kind, or 'ok'. */
  async agentOutcomes(baseUrls: string[], token: string | null) {
    const outcomes: string[] = [];
    for (const baseUrl of baseUrls) {
      try {
        await new AgentClient({ baseUrl, token }, { timeoutMs: 5_000 }).host();
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as { kind?: string }).kind ?? (error as Error).name);
      }
    }
    return outcomes;
  },

  /** Downloads a URL into OPFS through the resumable downloader; returns the stored size and SHA-256. */
  async downloadToOpfs(url: string, path: string) {
    const handle = await opfsFileHandle(path, true);
    const result = await downloadWithResume({ url, sink: new WritableFileSink(handle), retryDelayMs: 10 });
    const file = await (await opfsFileHandle(path)).getFile();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    return { result, size: file.size, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') };
  },

  /** Downloads into OPFS without reading the result back (for memory measurements), then deletes it. */
  async measureDownload(url: string) {
    const path = 'dumps/measured-download.bin';
    const startedAtMs = performance.now();
    const result = await downloadWithResume({ url, sink: new WritableFileSink(await opfsFileHandle(path, true)) });
    const durationMs = performance.now() - startedAtMs;
    const storedBytes = (await (await opfsFileHandle(path)).getFile()).size;
    await deleteOpfsFile(path);
    return { receivedBytes: result.receivedBytes, storedBytes, durationMs };
  },

  /** Parses an OPFS file in a worker (the worker opens it itself). */
  async parseOpfs(path: string) {
    const engine = newEngine(1);
    const info = await engine.openDump('opfs-dump', { kind: 'opfs', path });
    engine.dispose();
    return info;
  },
};

(globalThis as unknown as { harness: typeof harness }).harness = harness;
document.title = 'harness ready';
