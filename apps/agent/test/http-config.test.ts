/**
 * The small pure pieces: dump globs, Range decisions (checked against a
 * naive reading of RFC 9110 on random inputs), conditional headers, gzip
 * negotiation and the command-line flags.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgentArgs } from '../src/config.ts';
import { AgentConfigError } from '../src/errors.ts';
import { acceptsGzip } from '../src/http/file-body.ts';
import { decideRange, ifRangeHolds, noneMatchHits } from '../src/http/range.ts';
import { matchesPath, parseDumpGlob } from '../src/sources/dumps/glob.ts';

describe('dump globs', () => {
  const glob = parseDumpGlob('/tmp/heap_dump_signal_*.json');

  it('matches the name, its .gz and .tmp forms, in that folder only', () => {
    expect(matchesPath(glob, '/tmp', '/tmp/heap_dump_signal_1_2.json')).toBe(true);
    expect(matchesPath(glob, '/tmp', '/tmp/heap_dump_signal_1_2.json.gz')).toBe(true);
    expect(matchesPath(glob, '/tmp', '/tmp/heap_dump_signal_1_2.json.tmp')).toBe(true);
    expect(matchesPath(glob, '/tmp', '/tmp/heap_dump_signal_1_2.json.bak')).toBe(false);
    expect(matchesPath(glob, '/tmp', '/tmp/sub/heap_dump_signal_1_2.json')).toBe(false);
    expect(matchesPath(glob, '/tmp', '/tmpx/heap_dump_signal_1_2.json')).toBe(false);
    expect(matchesPath(glob, '/tmp', '/tmp/heap_dump_signalXjson')).toBe(false);
  });

  it('refuses wildcards in folders, relative paths and ..', () => {
    for (const bad of ['/tmp/*/x.json', 'tmp/x*.json', '/tmp/../etc/*', '/tmp/', '/tmp/[ab].json']) {
      expect(() => parseDumpGlob(bad), bad).toThrow(AgentConfigError);
    }
  });
});

describe('decideRange', () => {
  it('agrees with a naive reading of RFC 9110 for one range', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.option(fc.nat(1200)), fc.option(fc.nat(1200)), (size, a, b) => {
        if (a === null && b === null) return;
        const header = `bytes=${a ?? ''}-${b ?? ''}`;
        const got = decideRange(header, size);
        if (a === null) {
          const suffix = b ?? 0;
          if (suffix === 0 || size === 0) expect(got).toEqual({ kind: 'unsatisfiable' });
          else expect(got).toEqual({ kind: 'partial', start: Math.max(0, size - suffix), endInclusive: size - 1 });
        } else if (a >= size) {
          expect(got).toEqual({ kind: 'unsatisfiable' });
        } else if (b !== null && b < a) {
          expect(got).toEqual({ kind: 'full' });
        } else {
          expect(got).toEqual({ kind: 'partial', start: a, endInclusive: Math.min(b ?? size - 1, size - 1) });
        }
      }),
    );
  });

  it('ignores other units, several ranges and garbage', () => {
    for (const header of ['items=0-1', 'bytes=0-1,5-6', 'bytes=abc', 'bytes=-']) {
      expect(decideRange(header, 100), header).toEqual({ kind: 'full' });
    }
  });

  it('handles ETags and dates in conditional headers', () => {
    expect(noneMatchHits('"a", W/"b"', '"b"')).toBe(true);
    expect(noneMatchHits('"a"', '"b"')).toBe(false);
    expect(noneMatchHits('*', '"b"')).toBe(true);
    expect(ifRangeHolds('"b"', '"b"', 0)).toBe(true);
    expect(ifRangeHolds('W/"b"', '"b"', 0)).toBe(false);
    const mtimeMs = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(ifRangeHolds(new Date(mtimeMs).toUTCString(), '"b"', mtimeMs)).toBe(true);
    expect(ifRangeHolds(new Date(mtimeMs - 1000).toUTCString(), '"b"', mtimeMs)).toBe(false);
  });

  it('negotiates gzip, honouring q=0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('parseAgentArgs', () => {
  it('has safe defaults', () => {
    const config = parseAgentArgs([], {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 7373, match: 'puma|unicorn|sidekiq|ruby', token: null, webDir: null });
    expect(config.dumpGlobs.map((g) => g.source)).toEqual(['/tmp/heap_dump_signal_*.json']);
  });

  it('reads repeatable flags, inline values and the token from the environment', () => {
    const config = parseAgentArgs(
      ['--dumps', '/a/x*.json', '--dumps=/b/y*.json', '--allow-origin', 'https://app.example/path', '--interval', '0.5'],
      { LEAKPILOT_AGENT_TOKEN: 'from-the-environment-123' },
    );
    expect(config.dumpGlobs.map((g) => g.source)).toEqual(['/a/x*.json', '/b/y*.json']);
    expect(config.allowOrigins).toEqual(['https://app.example']);
    expect(config.historyIntervalMs).toBe(500);
    expect(config.token).toBe('from-the-environment-123');
    expect(config.tokenGenerated).toBe(false);
  });

  it('names the bad flag', () => {
    expect(() => parseAgentArgs(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => parseAgentArgs(['--match', '('], {})).toThrow(/--match/);
    expect(() => parseAgentArgs(['--token', 'short'], {})).toThrow(/16 characters/);
    expect(() => parseAgentArgs(['--allow-origin', 'file:///x'], {})).toThrow(/--allow-origin/);
    expect(() => parseAgentArgs(['--frobnicate'], {})).toThrow(/unknown option --frobnicate/);
  });
});
