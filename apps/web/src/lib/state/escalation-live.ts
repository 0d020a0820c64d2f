/**
 * Glue between live data and the escalation rules: turns the connected host's
 * processes (with the page's growth fits) and the open session into
 * `evaluateEscalation`'s input, and builds the escalation bundle (the session
 * file plus the markdown report) for download.
 */
import type { SuspectsReport } from '@leakpilot/shared/analyses/suspects.ts';
import type { SessionData } from '@leakpilot/shared/session/session-types.ts';
import { evaluateEscalation, type EscalationFinding, type WatchedProcess } from './escalation.ts';
import { escalationReportMarkdown, type ReportSuspectLine } from './escalation-report.ts';
import type { HostMonitor } from './host-monitor.svelte.ts';
import { processLabel } from './process-labels.ts';
import { saveBlob, type SessionsState } from './sessions.svelte.ts';

export function watchedProcessesOf(monitor: HostMonitor | null): WatchedProcess[] {
  if (!monitor?.processes) return [];
  return monitor.processes.processes.map((process) => ({
    pid: process.pid,
    label: processLabel(process),
    rssBytes: process.rssBytes,
    growthBytesPerHour: monitor.growthByPid.get(process.pid) ?? null,
  }));
}

export function liveEscalationFindings(session: SessionData | null, monitor: HostMonitor | null, nowMs: number): EscalationFinding[] {
  if (!session) return [];
  return evaluateEscalation({
    processes: watchedProcessesOf(monitor),
    sessionStartedMs: session.createdAtMs,
    rootCauseFound: session.rootCauseFoundAtMs !== null,
    nowMs,
  });
}

export function topSuspectLines(session: SessionData, limit = 5): ReportSuspectLine[] {
  const stored = [...session.results].reverse().find((result) => result.kind === 'suspects');
  if (!stored) return [];
  const report = stored.data as unknown as SuspectsReport;
  return report.suspects.slice(0, limit).map((suspect) => ({
    title: suspect.title,
    count: suspect.count,
    retainedBytes: suspect.retainedBytes,
    hint: suspect.hint,
  }));
}

/** Saves `<session>.leakpilot` and `<session>-report.md`. */
export async function downloadEscalationBundle(sessions: SessionsState, findings: readonly EscalationFinding[]): Promise<void> {
  const session = sessions.current;
  if (!session) return;
  const { blob, fileName } = await sessions.exportFile(session.id);
  saveBlob(blob, fileName);
  const report = escalationReportMarkdown({ session, findings, suspects: topSuspectLines(session), nowMs: Date.now() });
  saveBlob(new Blob([report], { type: 'text/markdown' }), fileName.replace(/\.leakpilot$/, '-report.md'));
}
