import { readFileSync } from 'node:fs';
import { getHeapSnapshot } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NotAHeapDumpError } from '../../src/parse/errors.ts';
import { parseBytes } from './dump-files.ts';

const repositoryRoot = new URL('../../../../', import.meta.url);

async function firstBytesOfV8Snapshot(): Promise<Uint8Array> {
  const stream = getHeapSnapshot();
  for await (const chunk of stream) {
    stream.destroy();
    return new Uint8Array(chunk as Buffer);
  }
  throw new Error('empty heap snapshot');
}

async function refusal(bytes: Uint8Array): Promise<NotAHeapDumpError> {
  const error = await parseBytes(bytes).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NotAHeapDumpError);
  return error as NotAHeapDumpError;
}

describe('inputs that are not heap dumps are refused early with what they look like', () => {
  it('refuses an empty file', async () => {
    expect((await refusal(new Uint8Array(0))).lookedLike).toBe('an empty file');
  });

  it('refuses an HTML error page, also when gzip-compressed', async () => {
    const page = new TextEncoder().encode('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n');
    expect((await refusal(page)).lookedLike).toBe('an HTML page');
    const error = await refusal(gzipSync(page));
    expect(error.lookedLike).toBe('an HTML page');
    expect(error.message).toContain('LeakPilot expected a Ruby heap dump');
  });

  it('refuses a PNG image (the web app icon)', async () => {
    const png = readFileSync(new URL('apps/web/public/icons/icon-192.png', repositoryRoot));
    expect((await refusal(png)).lookedLike).toBe('a PNG image');
  });

  it('refuses a V8 .heapsnapshot written by this Node process', async () => {
    expect((await refusal(await firstBytesOfV8Snapshot())).lookedLike).toBe('a V8/Chrome heap snapshot (.heapsnapshot)');
  });

  it('refuses a JSON document that is not dump lines (package.json)', async () => {
    const json = readFileSync(new URL('package.json', repositoryRoot));
    expect((await refusal(json)).lookedLike).toBe('a JSON document that is not a Ruby heap dump');
  });

  it('refuses a binary executable (the node binary)', async () => {
    const binary = readFileSync(process.execPath).subarray(0, 65536);
    expect((await refusal(binary)).lookedLike).toBe('a binary file');
  });

  it('refuses plain text', async () => {
    expect((await refusal(new TextEncoder().encode('hello, this is a log file\nsecond line\n'))).lookedLike).toBe('a text file that is not JSON');
  });
});
