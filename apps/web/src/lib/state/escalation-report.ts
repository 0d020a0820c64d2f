/**
 * The short markdown report of the escalation bundle (shipped beside the
 * `.leakpilot` session file): what was seen, what was done on the checklist,
 * the top suspects if any, and which escalation criteria are met. Pure: the
 * caller passes the session, the findings and suspect lines it has.
 */
import type { SessionData } from '@leakpilot/shared/session/session-types.ts';
import { CHECKLIST_STEPS, recordOf } from './checklist.ts';
import type { EscalationFinding } from './escalation.ts';
import { formatDateTime, formatBytes } from './format.ts';

export interface ReportSuspectLine {
  title: string;
  count: number;
  retainedBytes: number | null;
  hint: string | null;
}

export interface EscalationReportInput {
  session: SessionData;
  findings: readonly EscalationFinding[];
  suspects: readonly ReportSuspectLine[];
  nowMs: number;
}

const STATUS_MARK: Record<string, string> = { done: '[x]', skipped: '[-]', 'in-progress': '[~]', todo: '[ ]' };

export function escalationReportMarkdown(input: EscalationReportInput): string {
  const { session } = input;
  const lines: string[] = [];
  lines.push(`# Memory leak escalation: ${session.name}`, '');
  lines.push(`Session started ${formatDateTime(session.createdAtMs)}; report written ${formatDateTime(input.nowMs)}.`);
  lines.push(
    session.rootCauseFoundAtMs === null
      ? 'Root cause: **not found yet**.'
      : `Root cause recorded at ${formatDateTime(session.rootCauseFoundAtMs)}.`,
    '',
  );
  lines.push('## Why this is escalated', '');
  if (input.findings.length === 0) lines.push('- No escalation criterion is met by the live data; escalated by judgement.');
  for (const finding of input.findings) lines.push(`- ${finding.message}`);
  lines.push('', '## Likely retained (top suspects)', '');
  if (input.suspects.length === 0) lines.push('- No comparison of three dumps in this session yet.');
  for (const suspect of input.suspects) {
    const bytes = suspect.retainedBytes === null ? '' : `, ${formatBytes(suspect.retainedBytes)}`;
    lines.push(`- ${suspect.title}: ${suspect.count.toLocaleString('en-US')} objects${bytes}${suspect.hint ? `. ${suspect.hint}` : ''}`);
  }
  lines.push('', '## Checklist', '');
  for (const step of CHECKLIST_STEPS) {
    const record = recordOf(session.checklist, step.id);
    const mark = STATUS_MARK[record?.status ?? 'todo'];
    lines.push(`- ${mark} ${step.title}${record?.note ? `: ${record.note}` : ''}`);
  }
  lines.push('', '## Dumps', '');
  if (session.dumps.length === 0) lines.push('- none');
  for (const dump of session.dumps) {
    lines.push(`- ${dump.name} (${formatBytes(dump.sizeBytes)}${dump.pid === null ? '' : `, pid ${dump.pid}`}${dump.capturedAtMs === null ? '' : `, ${formatDateTime(dump.capturedAtMs)}`})`);
  }
  if (session.notes.trim()) lines.push('', '## Notes', '', session.notes.trim());
  lines.push('', 'Open the attached `.leakpilot` file in LeakPilot to see every result without the dumps.', '');
  return lines.join('\n');
}
