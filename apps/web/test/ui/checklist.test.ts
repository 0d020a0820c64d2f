import { describe, expect, it } from 'vitest';
import {
  CHECKLIST_STEPS,
  finishedStepCount,
  firstOpenStepIndex,
  withStepRecord,
} from '../../src/lib/state/checklist.ts';

describe('checklist', () => {
  it('walks the whole flight checklist in order, from confirming growth to escalating', () => {
    expect(CHECKLIST_STEPS.map((step) => step.id)).toEqual([
      'confirm-growth',
      'worst-worker',
      'dump-1',
      'wait',
      'dump-2-3',
      'copy',
      'compare',
      'deep-dive',
      'patterns',
      'mitigate',
      'monitor',
      'review-changes',
      'escalate',
    ]);
    expect(new Set(CHECKLIST_STEPS.map((step) => step.id)).size).toBe(CHECKLIST_STEPS.length);
  });

  it('opens at the first step neither done nor skipped', () => {
    let records = withStepRecord([], 'confirm-growth', 'done', 'RSS +80 MB/h', 1);
    expect(firstOpenStepIndex(records)).toBe(1);
    records = withStepRecord(records, 'worst-worker', 'skipped', '', 2);
    records = withStepRecord(records, 'dump-1', 'in-progress', '', 3);
    expect(firstOpenStepIndex(records)).toBe(2);
    expect(finishedStepCount(records)).toBe(2);
  });

  it('replaces a step record instead of adding a second one', () => {
    const once = withStepRecord([], 'compare', 'in-progress', 'a', 1);
    const twice = withStepRecord(once, 'compare', 'done', 'b', 2);
    expect(twice).toEqual([{ stepId: 'compare', status: 'done', note: 'b', updatedAtMs: 2 }]);
  });
});
