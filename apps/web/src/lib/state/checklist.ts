/**
 * The flight checklist for a Ruby memory leak in a Puma worker, as data: each
 * step's question, what LeakPilot shows to answer it (the `evidence` view the
 * guided mode embeds), and what the person records. The order is the
 * checklist's; step ids are stored in session files: append, never rename.
 */
import type { ChecklistStepRecord, ChecklistStepStatus } from '@leakpilot/shared/session/session-types.ts';

export type EvidenceView =
  | 'host-memory'
  | 'process-table'
  | 'dump-commands'
  | 'memory-chart'
  | 'dump-list'
  | 'compare'
  | 'suspects'
  | 'inspector'
  | 'patterns'
  | 'deploy-marker'
  | 'notes'
  | 'escalation';

export interface ChecklistStep {
  id: string;
  title: string;
  /** the question this step answers */
  question: string;
  /** how to act on it, one or two sentences */
  guidance: string;
  evidence: EvidenceView;
}

export const CHECKLIST_STEPS: readonly ChecklistStep[] = [
  {
    id: 'confirm-growth',
    title: 'Confirm growth',
    question: 'Is memory really growing, and is it the app (not the page cache or another container)?',
    guidance: 'Compare available memory over time and the containers\u2019 usage. Growth that never comes back after traffic drops is the signal.',
    evidence: 'host-memory',
  },
  {
    id: 'worst-worker',
    title: 'Find the worst worker',
    question: 'Which Puma worker has the largest and fastest-growing resident memory?',
    guidance: 'Sort by RSS; check PSS and private memory, because workers share pages with the master.',
    evidence: 'process-table',
  },
  {
    id: 'dump-1',
    title: 'Take the first heap dump',
    question: 'Has the worker written a heap dump?',
    guidance: 'Send USR2 to that worker (the app must call ObjectSpace.dump_all on USR2 with allocation tracing on).',
    evidence: 'dump-commands',
  },
  {
    id: 'wait',
    title: 'Wait while it grows',
    question: 'Has the worker grown noticeably since the first dump?',
    guidance: 'Let traffic run until RSS has grown by tens of MB. The chart shows the growth rate.',
    evidence: 'memory-chart',
  },
  {
    id: 'dump-2-3',
    title: 'Dump again (twice)',
    question: 'Are there a second and a third dump of the same worker?',
    guidance: 'Same pid, same command. Three dumps let LeakPilot tell "allocated then kept" from churn.',
    evidence: 'dump-commands',
  },
  {
    id: 'copy',
    title: 'Copy the dumps',
    question: 'Are the dumps off the host and in this session?',
    guidance: 'Download them from the agent (resumable), or open local copies. Wait until none is still being written.',
    evidence: 'dump-list',
  },
  {
    id: 'compare',
    title: 'Compare',
    question: 'What was allocated between dump 1 and dump 2 and is still alive in dump 3?',
    guidance: 'Objects that survive a whole dump interval are likely retained. The identity used is shown with the result.',
    evidence: 'compare',
  },
  {
    id: 'deep-dive',
    title: 'Deep dive',
    question: 'What holds the retained objects, and where were they allocated?',
    guidance: 'Open the top suspect, follow its retainer path to a ROOT, inspect a representative object.',
    evidence: 'suspects',
  },
  {
    id: 'patterns',
    title: 'Match the common patterns',
    question: 'Is it a known shape: growing cache, class-level array, event buffer, unclosed files, large strings?',
    guidance: 'Each suspect carries a hint for the pattern it matches. Record the root cause in the notes.',
    evidence: 'patterns',
  },
  {
    id: 'mitigate',
    title: 'Mitigate',
    question: 'What keeps production healthy while the fix is written?',
    guidance: 'Restart workers on a memory limit (puma_worker_killer or a container limit), reduce workers, or disable the feature.',
    evidence: 'notes',
  },
  {
    id: 'monitor',
    title: 'Monitor the fix',
    question: 'After the deploy, has memory stayed flat for 30 minutes?',
    guidance: 'Mark the deploy on the chart; LeakPilot compares the growth rate before and after.',
    evidence: 'deploy-marker',
  },
  {
    id: 'review-changes',
    title: 'Review recent changes',
    question: 'Which recent change introduced the allocation site?',
    guidance: 'Look up the allocation sites of the top suspects in version control (git log -L, git blame).',
    evidence: 'notes',
  },
  {
    id: 'escalate',
    title: 'Escalate',
    question: 'Does this need more people?',
    guidance: 'Escalate when a worker passes 4 GB, several workers grow at once, or two hours pass without a root cause. The bundle is the session file plus a short report.',
    evidence: 'escalation',
  },
];

/** The record of a step in a session's checklist, or undefined when untouched. */
export function recordOf(records: readonly ChecklistStepRecord[], stepId: string): ChecklistStepRecord | undefined {
  return records.find((record) => record.stepId === stepId);
}

function isFinished(record: ChecklistStepRecord | undefined): boolean {
  return record?.status === 'done' || record?.status === 'skipped';
}

/** Index of the first step neither done nor skipped, or the step count when all are. */
export function firstOpenStepIndex(records: readonly ChecklistStepRecord[]): number {
  const index = CHECKLIST_STEPS.findIndex((step) => !isFinished(recordOf(records, step.id)));
  return index === -1 ? CHECKLIST_STEPS.length : index;
}

export function finishedStepCount(records: readonly ChecklistStepRecord[]): number {
  return CHECKLIST_STEPS.filter((step) => isFinished(recordOf(records, step.id))).length;
}

/** A copy of `records` with `stepId` set to `status` and `note` (other steps untouched). */
export function withStepRecord(
  records: readonly ChecklistStepRecord[],
  stepId: string,
  status: ChecklistStepStatus,
  note: string,
  nowMs: number,
): ChecklistStepRecord[] {
  const next = records.filter((record) => record.stepId !== stepId);
  next.push({ stepId, status, note, updatedAtMs: nowMs });
  return next;
}
