/**
 * The capped report of non-fatal oddities met while parsing a dump: lines that
 * could only be read in part or not at all. At most MAX_PROBLEM_SAMPLES are
 * kept with detail; every one is counted. Library code never throws for these.
 */
export const MAX_PROBLEM_SAMPLES = 100;

export type ProblemReason =
  | 'invalid-json'
  | 'invalid-utf8'
  | 'unescaped-quote'
  | 'control-character'
  | 'truncated-line'
  | 'truncated-input'
  | 'missing-address'
  | 'unknown-type'
  | 'duplicate-address'
  | 'oversized-line';

export interface ParseProblem {
  /** 1-based line number */
  line: number;
  /** byte offset of the line's first byte in the decompressed stream */
  byteOffset: number;
  reason: ProblemReason;
  /** what happened, for a person */
  message: string;
  /** the start of the line, at most 120 characters, non-printables escaped */
  excerpt: string;
  /** whether the object on that line was still kept (with what could be read) */
  recovered: boolean;
}

export interface ParseProblemReport {
  count: number;
  countByReason: Partial<Record<ProblemReason, number>>;
  samples: ParseProblem[];
}

export function createProblemReport(): ParseProblemReport {
  return { count: 0, countByReason: {}, samples: [] };
}

export function recordProblem(report: ParseProblemReport, problem: ParseProblem): void {
  report.count += 1;
  report.countByReason[problem.reason] = (report.countByReason[problem.reason] ?? 0) + 1;
  if (report.samples.length < MAX_PROBLEM_SAMPLES) report.samples.push(problem);
}
