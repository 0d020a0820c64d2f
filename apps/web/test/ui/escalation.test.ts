import { describe, expect, it } from 'vitest';
import { evaluateEscalation, sizeBadgeOf } from '../../src/lib/state/escalation.ts';

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const NOW = Date.UTC(2026, 10, 29, 14, 0, 0);

describe('evaluateEscalation', () => {
  it('finds nothing for small, flat workers in a fresh session', () => {
    const findings = evaluateEscalation({
      processes: [{ pid: 10, label: 'worker 0', rssBytes: 600 * MB, growthBytesPerHour: 2 * MB }],
      sessionStartedMs: NOW - 10 * 60_000,
      rootCauseFound: false,
      nowMs: NOW,
    });
    expect(findings).toEqual([]);
  });

  it('names the worker over 4 GB with its pid and size', () => {
    const findings = evaluateEscalation({
      processes: [{ pid: 4242, label: 'worker 1', rssBytes: 4.5 * GB, growthBytesPerHour: null }],
      sessionStartedMs: NOW,
      rootCauseFound: true,
      nowMs: NOW,
    });
    expect(findings.map((finding) => finding.rule)).toEqual(['worker-over-4gb']);
    expect(findings[0].message).toContain('pid 4242');
    expect(findings[0].message).toContain('4.50 GB');
  });

  it('flags several workers growing at once but not one', () => {
    const growing = { label: 'worker', rssBytes: GB / 2, growthBytesPerHour: 200 * MB };
    const input = { sessionStartedMs: NOW, rootCauseFound: false, nowMs: NOW };
    expect(evaluateEscalation({ ...input, processes: [{ pid: 1, ...growing }] })).toEqual([]);
    const rules = evaluateEscalation({ ...input, processes: [{ pid: 1, ...growing }, { pid: 2, ...growing }] }).map(
      (finding) => finding.rule,
    );
    expect(rules).toEqual(['several-workers-growing']);
  });

  it('escalates after two hours only while no root cause is recorded', () => {
    const base = { processes: [], sessionStartedMs: NOW - 2.5 * 3_600_000, nowMs: NOW };
    expect(evaluateEscalation({ ...base, rootCauseFound: false }).map((finding) => finding.rule)).toEqual([
      'no-root-cause-after-2h',
    ]);
    expect(evaluateEscalation({ ...base, rootCauseFound: true })).toEqual([]);
  });
});

describe('sizeBadgeOf', () => {
  it('marks over 1 GB high and over 4 GB escalate', () => {
    expect(sizeBadgeOf(900 * MB)).toBeNull();
    expect(sizeBadgeOf(1.2 * GB)).toBe('high');
    expect(sizeBadgeOf(4.1 * GB)).toBe('escalate');
  });
});
