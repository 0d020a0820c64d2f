import { createSessionData } from '@leakpilot/shared/session/session-types.ts';
import { describe, expect, it } from 'vitest';
import { withStepRecord } from '../../src/lib/state/checklist.ts';
import { escalationReportMarkdown } from '../../src/lib/state/escalation-report.ts';

describe('escalationReportMarkdown', () => {
  it('states the criteria met, the suspects, and the checklist with what was done', () => {
    const session = createSessionData('s1', 'checkout API leak', Date.UTC(2026, 10, 29, 10));
    session.checklist = withStepRecord([], 'confirm-growth', 'done', 'web-3 +90 MB/h', Date.UTC(2026, 10, 29, 10, 5));
    session.notes = 'Started after the 10:00 deploy.';
    const report = escalationReportMarkdown({
      session,
      findings: [{ rule: 'worker-over-4gb', message: 'Over 4 GB: worker 1 (pid 7, 4.20 GB).' }],
      suspects: [{ title: 'Array @buffer of Ahoy::Event', count: 2400, retainedBytes: 1024 * 1024, hint: 'Events accumulate.' }],
      nowMs: Date.UTC(2026, 10, 29, 13),
    });
    expect(report).toContain('# Memory leak escalation: checkout API leak');
    expect(report).toContain('Root cause: **not found yet**.');
    expect(report).toContain('- Over 4 GB: worker 1 (pid 7, 4.20 GB).');
    expect(report).toContain('- Array @buffer of Ahoy::Event: 2,400 objects, 1.00 MB. Events accumulate.');
    expect(report).toContain('- [x] Confirm growth: web-3 +90 MB/h');
    expect(report).toContain('- [ ] Escalate');
    expect(report).toContain('Started after the 10:00 deploy.');
  });
});
