// The platform layer in real Chromium: IndexedDB storage (migration from
// version 1 keeps data, CRUD, export/import under fresh ids, a damaged import
// changes nothing), the engine client with real workers parsing real dumps
// (Blob, URL fetched in the worker, OPFS file), the diff and suspects through
// comlink with the fixture's known answer, cancel = terminate + respawn, and a
// resumed download into the Origin Private File System.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness } from './harness/harness-build.ts';
import { launchChromium, type ChromiumProfile } from './chromium.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

type Harness = Window & { harness: Record<string, (...args: never[]) => Promise<unknown>> };
const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const series = ['01-baseline.json.gz', '02-after-leak1.json.gz', '03-after-leak2.json.gz'].map((name) => `/fixtures/ruby-3.3.8/${name}`);
const railsDump = '/fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz';

let harnessDir = '';
let server: StaticServer;
let browser: ChromiumProfile;
let page: Page;

beforeAll(async () => {
  harnessDir = await buildHarness();
  server = await startStaticServer({ '/fixtures/': fixtures, '/': harnessDir });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => document.title === 'harness ready');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (harnessDir) rmSync(harnessDir, { recursive: true, force: true });
});

/** Object lines of a fixture dump (every line but ROOT, SHAPE and NONE), counted independently of the engine. */
function objectLineCount(fixturePath: string): number {
  const text = gunzipSync(readFileSync(`${fixtures}${fixturePath.replace('/fixtures/', '')}`)).toString('utf8');
  return text.split('\n').filter((line) => line.length > 0 && !/"type":"(ROOT|SHAPE|NONE)"/.test(line)).length;
}

function call<T>(name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([fn, fnArgs]) => (window as unknown as Harness).harness[fn as string](...(fnArgs as never[])), [name, args] as const) as Promise<T>;
}

describe('storage in IndexedDB', () => {
  it('migrates a version 1 database to version 2 and keeps its sessions', async () => {
    const v1Stores = await call<string[]>('createDatabaseAtVersion', 'migrate-test', 1, 'old-session');
    expect(v1Stores.sort()).toEqual(['dumps', 'hosts', 'results', 'sessions']);
    const described = await call<{ version: number; stores: string[]; sessionIndexes: string[]; sessions: { id: string; name: string }[] }>('openAndDescribe', 'migrate-test');
    expect(described.version).toBe(2);
    expect(described.stores).toEqual(['dumps', 'hosts', 'results', 'sessions', 'settings']);
    expect(described.sessionIndexes).toContain('by-updated');
    expect(described.sessions.map((s) => [s.id, s.name])).toEqual([['old-session', 'from version 1']]);
  });

  it('steps aside for a newer version opened in another tab and says so', async () => {
    const r = await call<{ told: boolean; upgraded: number; newerVersion: number }>('versionChange', 'version-change-test');
    expect(r.told).toBe(true);
    expect(r.upgraded).toBe(r.newerVersion);
  });

  it('lists, renames, deletes sessions with their dumps and results, and imports an export under fresh ids', async () => {
    const r = await call<{
      listed: { name: string; dumpCount: number; resultCount: number }[];
      full: { name: string; dumps: unknown[]; results: unknown[] };
      sameIds: boolean;
      importedTextEqual: boolean;
      importedResultPointsAtImportedDumps: boolean;
      afterDumpDelete: { dumps: string[]; results: number };
      opfsPaths: string[];
      afterDelete: string[];
      resultsLeft: boolean[];
      hostTokens: (string | null)[];
    }>('storageRoundTrip', 'crud-test');
    expect(r.listed.map((s) => [s.name, s.dumpCount, s.resultCount])).toEqual([
      ['first, renamed', 2, 1],
      ['second', 0, 0],
    ]);
    expect(r.full.dumps.length).toBe(2);
    expect(r.sameIds).toBe(false);
    expect(r.importedTextEqual).toBe(true);
    expect(r.importedResultPointsAtImportedDumps).toBe(true);
    expect(r.afterDumpDelete).toEqual({ dumps: ['dump-a2'], results: 0 });
    expect(r.opfsPaths).toEqual(['dumps/x-a2.json.gz']);
    expect(r.afterDelete).toEqual(['first, renamed', 'second']);
    expect(r.resultsLeft).toEqual([true]);
    expect(r.hostTokens).toEqual(['secret']);
  });

  it('refuses a real heap dump offered as a session and changes nothing stored', async () => {
    const r = await call<{ error: { code: string; message: string } | null; unchanged: boolean; sessionCount: number }>('importDamaged', 'crud-test', series[0]);
    expect(r.error?.code).toBe('foreign');
    expect(r.error?.message).toMatch(/heap dump/);
    expect(r.unchanged).toBe(true);
    expect(r.sessionCount).toBe(2);
  });
});

describe('engine client with real workers', () => {
  it('parses three dumps (Blob, URL, transferred stream) in two workers, summarizes one, and finds the 400 likely-retained Ahoy::Event objects', async () => {
    const r = await call<{
      infos: { objectCount: number; gzip: boolean }[];
      workersAfterParse: number;
      retainedEvents: number | null;
      topSuspect: { title: string; count: number } | null;
      pageRows: number;
      summaryObjects: number;
      summaryTypeTotal: number;
      unknownMethod: { name: string } | null;
      phases: string[];
      maxDoneBytes: number;
    }>('parseAndDiff', series, 2);
    expect(r.infos.map((info) => info.gzip)).toEqual([true, true, true]);
    expect(r.infos.map((info) => info.objectCount)).toEqual(series.map(objectLineCount));
    expect(r.workersAfterParse).toBe(2);
    expect(r.retainedEvents).toBe(400);
    expect(r.topSuspect).not.toBeNull();
    expect(r.pageRows).toBeGreaterThan(0);
    expect(r.summaryObjects).toBe(r.infos[0].objectCount);
    expect(r.summaryTypeTotal).toBe(r.infos[0].objectCount);
    // only the engine's API methods can be called by name
    expect(r.unknownMethod?.name).toBe('EngineRequestError');
    expect(r.phases).toEqual(expect.arrayContaining(['queued', 'open', 'read', 'done']));
    expect(r.maxDoneBytes).toBeGreaterThan(0);
  });

  it('cancels a running parse by ending only its own worker (an open dump stays open), then parses again; a non-dump and an unknown id give typed errors', async () => {
    const r = await call<{
      sawRead: boolean;
      lost: string[];
      cancelError: { name: string; kind: string } | null;
      openAfterCancel: string[];
      quickObjects: number;
      notADump: { name: string; kind: string } | null;
      notOpen: { name: string; kind: string } | null;
    }>('cancelThenParse', railsDump, series[0]);
    expect(r.sawRead).toBe(true);
    expect(r.cancelError).toMatchObject({ name: 'EngineCancelledError', kind: 'cancelled' });
    expect(r.lost).toEqual([]);
    expect(r.openAfterCancel).toEqual(['early']);
    expect(r.quickObjects).toBeGreaterThan(5_000);
    expect(r.notADump).toMatchObject({ name: 'NotAHeapDumpError', kind: 'not-a-dump' });
    expect(r.notOpen).toMatchObject({ name: 'EngineDumpNotOpenError', kind: 'not-open' });
  });
});

describe('engine parse queue', () => {
  it('parses one at a time with one worker allowed, cancels a queued parse before it starts, keeps the dumps in one worker, ends it when they close', async () => {
    const r = await call<{
      afterParses: { created: number; workers: number; open: string[] };
      cancelledWhileQueued: boolean;
      cancelError: { name: string } | null;
      secondStartedQueued: boolean;
      cancelledPhases: string[] | undefined;
      retainedEvents: number | null;
      afterClose: number;
    }>('queuedParses', series);
    expect(r.cancelledWhileQueued).toBe(true);
    expect(r.cancelError?.name).toBe('EngineCancelledError');
    expect(r.cancelledPhases).toEqual(['queued']);
    // one worker per parse that ran (the cancelled one never got one), all dumps held by one
    expect(r.afterParses).toEqual({ created: 3, workers: 1, open: ['q-1', 'q-2', 'q-3'] });
    expect(r.secondStartedQueued).toBe(true);
    expect(r.retainedEvents).toBe(400);
    expect(r.afterClose).toBe(0);
  });
});

describe('engine worker crashes', () => {
  it('rejects a parse whose worker dies on an uncaught error, with a message pointing to the CLI, and leaves no worker behind', async () => {
    const r = await call<{ error: { name: string; kind: string; message: string } | null; workersAfter: number }>('crashingWorker');
    expect(r.error).toMatchObject({ name: 'EngineWorkerCrashedError', kind: 'crashed' });
    expect(r.error?.message).toMatch(/worker died/);
    expect(r.error?.message).toMatch(/CLI/);
    expect(r.workersAfter).toBe(0);
  });
});

describe('agent errors as Chromium meets them', () => {
  it('tells apart an agent refusing this origin (CORS), a wrong token, a stopped agent, and a working one', async () => {
    const started: Server[] = [];
    const listen = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
      const agent = createServer(handler);
      started.push(agent);
      await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
    };
    const cors = {
      'access-control-allow-origin': server.origin,
      'access-control-allow-headers': 'authorization',
      'content-type': 'application/json',
    };
    try {
      // another origin with no CORS headers: the page may not read it
      const noCors = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"apiVersion":1}');
      });
      // allows this page but wants another token (answers the preflight too)
      const wrongToken = await listen((req, res) => {
        res.writeHead(req.method === 'OPTIONS' ? 204 : 401, cors);
        res.end(req.method === 'OPTIONS' ? '' : JSON.stringify({ error: { code: 'unauthorized', message: 'bad token' } }));
      });
      const working = await listen((req, res) => {
        res.writeHead(req.method === 'OPTIONS' ? 204 : 200, cors);
        res.end(req.method === 'OPTIONS' ? '' : '{"apiVersion":1,"hostname":"x"}');
      });
      const stopped = await listen(() => undefined);
      await new Promise<void>((resolve) => started.pop()?.close(() => resolve()));
      const outcomes = await call<string[]>('agentOutcomes', [noCors, wrongToken, stopped, working], 'tok');
      expect(outcomes).toEqual(['cors', 'unauthorized', 'unreachable', 'ok']);
    } finally {
      for (const agent of started) {
        agent.closeAllConnections();
        agent.close();
      }
    }
  });
});

describe('downloads into the Origin Private File System', () => {
  it('resumes a dropped download with Range, stores identical bytes in OPFS, and a worker parses the OPFS file', async () => {
    server.dropNext(railsDump, 1_000_000);
    const r = await call<{ result: { resumeCount: number; receivedBytes: number }; size: number; sha256: string }>('downloadToOpfs', railsDump, 'dumps/test-rails-3.json.gz');
    const original = readFileSync(`${fixtures}rails-series-a/heap_dump_signal_24329_1795949061.json.gz`);
    const seen = JSON.stringify({ result: r.result, requests: server.requests.filter((q) => q.path === railsDump) });
    expect(r.result.resumeCount, seen).toBe(1);
    expect(r.size).toBe(original.byteLength);
    expect(r.sha256).toBe(createHash('sha256').update(original).digest('hex'));
    // the resume asks for the bytes after those that reached the page (some in flight are lost with the socket)
    const resumedAt = server.requests.filter((q) => q.path === railsDump && q.range !== null).map((q) => Number(/^bytes=(\d+)-$/.exec(q.range ?? '')?.[1]));
    expect(resumedAt.length, seen).toBe(1);
    expect(resumedAt[0]).toBeGreaterThan(0);
    expect(resumedAt[0]).toBeLessThanOrEqual(1_000_000);
    const info = await call<{ objectCount: number }>('parseOpfs', 'dumps/test-rails-3.json.gz');
    // dump 3 of rails-series-a has 127,719 objects (fixtures/README.md)
    expect(info.objectCount).toBe(127_719);
    expect(objectLineCount(railsDump)).toBe(127_719);
  });
});
