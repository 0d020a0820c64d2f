import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import EscalationPanel from '../../src/components/guide/EscalationPanel.svelte';
import { evaluateEscalation } from '../../src/lib/state/escalation.ts';
import { SessionsState } from '../../src/lib/state/sessions.svelte.ts';

const GB = 1024 ** 3;
const NOW = Date.UTC(2026, 10, 29, 14);

describe('EscalationPanel', () => {
  it('marks the criteria the live data meets and says what was seen', () => {
    const findings = evaluateEscalation({
      processes: [{ pid: 4242, label: 'Puma worker 1', rssBytes: 4.2 * GB, growthBytesPerHour: null }],
      sessionStartedMs: NOW - 3 * 3_600_000,
      rootCauseFound: false,
      nowMs: NOW,
    });
    const html = render(EscalationPanel, { props: { findings, sessions: new SessionsState(), liveData: true } }).body;
    expect(html.match(/<li class="[^"]*\bmet\b/g)?.length).toBe(2);
    expect(html).toContain('Over 4 GB: Puma worker 1 (pid 4242, 4.20 GB).');
    expect(html).toContain('3 h 0 min since this session started');
  });

  it('says when there is no live data to judge the worker rules', () => {
    const html = render(EscalationPanel, { props: { findings: [], sessions: new SessionsState(), liveData: false } }).body;
    expect(html).toContain('No host is connected');
    expect(html).not.toMatch(/<li class="[^"]*\bmet\b/);
  });
});
