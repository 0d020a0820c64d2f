// Pure pieces of the platform layer, in node: the download speed window, the
// worker pool size, file-name rules for dumps and OPFS paths, base URLs, and
// the transfer list of a real parsed dump (complete: after a transferring
// structuredClone every column of the original is detached and the copy
// equals a fresh parse).
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHeapDump } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { normalizeBaseUrl } from '../src/lib/agent-client/agent-client.ts';
import { defaultMaxWorkers } from '../src/lib/engine-client/engine-client.ts';
import { engineErrorKind } from '../src/lib/engine-client/engine-errors.ts';
import { transferablesOfDump } from '../src/lib/engine-client/heap-dump-transfer.ts';
import { opfsPathForAgentDump, safeFileName } from '../src/lib/downloads/opfs.ts';
import { RateMeter } from '../src/lib/downloads/rate-meter.ts';
import { isDumpFileName } from '../src/lib/files/local-dump-files.ts';

const fixture = new URL('../../../fixtures/ruby-3.3.8/03-after-leak2.json.gz', import.meta.url);

function typedArraysOf(dump: HeapDump): ArrayBufferView[] {
  const found: ArrayBufferView[] = [];
  const pending: unknown[] = [dump];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (ArrayBuffer.isView(value)) found.push(value);
    else pending.push(...Object.values(value));
  }
  return found;
}

describe('RateMeter', () => {
  it('measures the speed over the recent window only', () => {
    const meter = new RateMeter(1_000);
    meter.record(0, 0);
    meter.record(500, 10_000_000);
    meter.record(5_000, 10_000_000);
    meter.record(5_500, 10_500_000);
    meter.record(6_000, 11_000_000);
    // the last second moved 1 MB: 1 MB/s, not the 10 MB burst long ago
    expect(meter.bytesPerSecond()).toBe(1_000_000);
  });

  it('says 0 with fewer than two samples or no elapsed time', () => {
    const meter = new RateMeter();
    expect(meter.bytesPerSecond()).toBe(0);
    meter.record(10, 5);
    meter.record(10, 50);
    expect(meter.bytesPerSecond()).toBe(0);
  });

  it('keeps working after its ring wraps around', () => {
    const meter = new RateMeter(10_000, 4);
    for (let t = 0; t <= 100; t += 10) meter.record(t * 100, t * 1_000);
    expect(meter.bytesPerSecond()).toBe(10_000);
  });
});

describe('worker pool size', () => {
  it('leaves one core to the page, uses at least one and at most four workers', () => {
    expect(defaultMaxWorkers(1)).toBe(1);
    expect(defaultMaxWorkers(2)).toBe(1);
    expect(defaultMaxWorkers(4)).toBe(3);
    expect(defaultMaxWorkers(32)).toBe(4);
    expect(defaultMaxWorkers(undefined)).toBe(1);
  });
});

describe('file names', () => {
  it('accepts .json, .json.gz, .jsonl and .gz dumps, in any case, and nothing else', () => {
    expect(['a.json', 'heap_dump_signal_1_2.json.gz', 'X.JSON.GZ', 'dump.jsonl', 'dump.gz'].every(isDumpFileName)).toBe(true);
    expect(['a.json.tmp', 'a.leakpilot', 'a.heapsnapshot', 'json'].some(isDumpFileName)).toBe(false);
  });

  it('keeps OPFS paths free of separators and control characters', () => {
    const escaped = safeFileName('../../etc/passwd');
    expect(escaped).not.toMatch(/[/\\]/);
    expect(escaped.startsWith('.')).toBe(false);
    expect(safeFileName('a\u0000b:c.json')).toBe('a_b_c.json');
    expect(opfsPathForAgentDump('abc/def', 'heap_dump_signal_1_2.json.gz')).toBe('dumps/abc_def-heap_dump_signal_1_2.json.gz');
    expect(safeFileName('x'.repeat(300)).length).toBe(200);
  });

  it('drops trailing slashes and spaces from agent URLs', () => {
    expect(normalizeBaseUrl(' http://127.0.0.1:7373/// ')).toBe('http://127.0.0.1:7373');
  });
});

describe('engine error kinds', () => {
  it('classifies errors by the name that survives the worker boundary', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    expect(engineErrorKind(named('NotAHeapDumpError'))).toBe('not-a-dump');
    expect(engineErrorKind(named('ParseCancelledError'))).toBe('cancelled');
    expect(engineErrorKind(named('EngineWorkerRestartedError'))).toBe('lost');
    expect(engineErrorKind(new TypeError('boom'))).toBe('other');
  });
});

describe('transferablesOfDump', () => {
  it('lists every buffer of a real dump once, so a transferring clone moves all of it', async () => {
    const dump = await parseHeapDump(createReadStream(fixture));
    const buffers = transferablesOfDump(dump);
    expect(new Set(buffers).size).toBe(buffers.length);
    const views = typedArraysOf(dump).filter((view) => view.byteLength > 0);
    expect(views.length).toBeGreaterThan(10);
    const moved = structuredClone(dump, { transfer: buffers });
    // every non-empty column of the original is detached: nothing was left behind to copy
    expect(typedArraysOf(dump).filter((view) => view.byteLength > 0)).toEqual([]);
    const fresh = await parseHeapDump(createReadStream(fixture));
    expect(moved).toEqual(fresh);
  });
});
