// The .leakpilot session file: round trip through gzip, and a clear typed
// error (never a crash, never a partial result) for every damaged, foreign or
// newer file. Foreign inputs are real files of the repository (a heap dump,
// the fixture ground truth) where one fits.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  SESSION_FORMAT_ID,
  SESSION_FORMAT_VERSION,
  SessionFileError,
  createSessionData,
  decodeSessionFile,
  encodeSessionFile,
  type SessionData,
  type SessionFileErrorCode,
} from '../../src/session/index.ts';

const fixture = (path: string) => new URL(`../../../../fixtures/${path}`, import.meta.url);

function sampleSession(): SessionData {
  const session = createSessionData('s-1', 'web-3 leak hunt', 1_790_000_000_000);
  session.hosts.push({ id: 'h-1', name: 'web-3 (tunnel)', url: 'http://127.0.0.1:7373', addedAtMs: 1_790_000_000_100 });
  session.dumps.push(
    { id: 'd-1', name: '01-baseline.json.gz', sizeBytes: 123_456, pid: 24329, capturedAtMs: 1_790_000_001_000, source: { kind: 'agent', hostId: 'h-1', agentDumpId: 'abc', opfsPath: 'dumps/abc-01.json.gz' }, addedAtMs: 1 },
    { id: 'd-2', name: 'local.json', sizeBytes: null, pid: null, capturedAtMs: null, source: { kind: 'local-file', fileName: 'local.json' }, addedAtMs: 2 },
  );
  session.results.push({
    id: 'r-1',
    kind: 'diff',
    dumpIds: ['d-1', 'd-2'],
    title: 'Compare 01 → local',
    createdAtMs: 3,
    data: { identity: { traced: 400, weak: 2, description: 'address + type + generation + site' }, rows: [{ className: 'Ahoy::Event', count: 400, memsizeBytes: 16_000 }], ratio: 0.5, ok: true, none: null },
  });
  session.notes = 'Ünïcödé notes — with "quotes" and \\ backslashes\nand lines';
  session.checklist.push({ stepId: 'confirm-growth', status: 'done', updatedAtMs: 4, note: 'RSS +120 MB/h' });
  session.deployMarkers.push({ id: 'm-1', hostId: 'h-1', atMs: 5, label: 'fix #123' });
  return session;
}

async function expectSessionError(input: Uint8Array, code: SessionFileErrorCode): Promise<SessionFileError> {
  const error = await decodeSessionFile(input).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SessionFileError);
  expect((error as SessionFileError).code).toBe(code);
  expect((error as SessionFileError).message.length).toBeGreaterThan(20);
  return error as SessionFileError;
}

function gzipJson(value: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(value)));
}

describe('session file round trip', () => {
  it('writes a gzip file with the format id and version, and reads back an equal session', async () => {
    const session = sampleSession();
    const bytes = await encodeSessionFile(session, { producer: 'LeakPilot test', exportedAtMs: 42 });
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const document = JSON.parse(gunzipSync(bytes).toString('utf8'));
    expect(document.format).toBe(SESSION_FORMAT_ID);
    expect(document.version).toBe(SESSION_FORMAT_VERSION);
    const decoded = await decodeSessionFile(bytes);
    expect(decoded.session).toEqual(session);
    expect(decoded.producer).toBe('LeakPilot test');
    expect(decoded.exportedAtMs).toBe(42);
  });

  it('reads the same file from a Blob and from a stream cut into 7-byte chunks', async () => {
    const bytes = await encodeSessionFile(sampleSession(), { producer: 'p', exportedAtMs: 1 });
    const fromBlob = await decodeSessionFile(new Blob([bytes]));
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.byteLength; offset += 7) controller.enqueue(bytes.slice(offset, offset + 7));
        controller.close();
      },
    });
    const fromStream = await decodeSessionFile(chunked);
    expect(fromStream).toEqual(fromBlob);
    expect(fromBlob.session).toEqual(sampleSession());
  });

  it('accepts a session file someone gunzipped (plain JSON)', async () => {
    const bytes = await encodeSessionFile(sampleSession(), { producer: 'p', exportedAtMs: 1 });
    const decoded = await decodeSessionFile(new Uint8Array(gunzipSync(bytes)));
    expect(decoded.session.name).toBe('web-3 leak hunt');
  });

  it('drops fields it does not know, so what is stored has the documented shape', async () => {
    const document = { format: SESSION_FORMAT_ID, version: 1, producer: 'p', exportedAtMs: 1, extra: true, session: { ...sampleSession(), secretToken: 'x' } };
    const decoded = await decodeSessionFile(gzipJson(document));
    expect('secretToken' in decoded.session).toBe(false);
    expect('extra' in decoded).toBe(false);
  });
});

describe('session file errors', () => {
  it('calls a zero-byte file empty', async () => {
    await expectSessionError(new Uint8Array(0), 'empty');
  });

  it('calls a truncated gzip file damaged', async () => {
    const bytes = await encodeSessionFile(sampleSession(), { producer: 'p', exportedAtMs: 1 });
    await expectSessionError(bytes.slice(0, Math.floor(bytes.byteLength / 2)), 'damaged');
  });

  it('calls a gzip file with flipped bytes in the middle damaged or not JSON, never a session', async () => {
    const bytes = await encodeSessionFile(sampleSession(), { producer: 'p', exportedAtMs: 1 });
    const corrupt = bytes.slice();
    for (let i = 20; i < 40; i += 1) corrupt[i] ^= 0xff;
    const error = await decodeSessionFile(corrupt).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionFileError);
    expect(['damaged', 'not-json', 'invalid']).toContain((error as SessionFileError).code);
  });

  it('recognises a real Ruby heap dump and says to open it as a dump', async () => {
    const dump = new Uint8Array(readFileSync(fixture('ruby-3.3.8/01-baseline.json.gz')));
    const error = await expectSessionError(dump, 'foreign');
    expect(error.message).toMatch(/heap dump/);
  });

  it('calls a JSON document without the format mark foreign (the fixture ground truth)', async () => {
    const groundTruth = new Uint8Array(readFileSync(fixture('ruby-3.3.8/ground_truth.json')));
    await expectSessionError(groundTruth, 'foreign');
  });

  it('names a PNG image as such', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const error = await expectSessionError(png, 'foreign');
    expect(error.message).toMatch(/PNG/);
  });

  it('refuses a newer format version with a message to update', async () => {
    const document = { format: SESSION_FORMAT_ID, version: SESSION_FORMAT_VERSION + 1, producer: 'future', exportedAtMs: 1, session: sampleSession() };
    const error = await expectSessionError(gzipJson(document), 'newer-version');
    expect(error.message).toMatch(/newer LeakPilot/);
  });

  it('points at the first malformed field', async () => {
    const session = sampleSession() as unknown as { dumps: { sizeBytes: unknown }[] };
    session.dumps[1].sizeBytes = 'big';
    const document = { format: SESSION_FORMAT_ID, version: 1, producer: 'p', exportedAtMs: 1, session };
    const error = await expectSessionError(gzipJson(document), 'invalid');
    expect(error.fieldPath).toBe('session.dumps[1].sizeBytes');
  });

  it('refuses a result that names a dump the session does not have', async () => {
    const session = sampleSession();
    session.results[0].dumpIds = ['d-1', 'd-404'];
    const document = { format: SESSION_FORMAT_ID, version: 1, producer: 'p', exportedAtMs: 1, session };
    const error = await expectSessionError(gzipJson(document), 'invalid');
    expect(error.fieldPath).toBe('session.results[0].dumpIds[1]');
  });

  it('calls compressed text that is not JSON not-json', async () => {
    await expectSessionError(gzipSync(Buffer.from('hello, this is plain text\n')), 'not-json');
  });
});
