import { describe, expect, it } from 'vitest';
import { DOMINATED_BY_SYNTHETIC_ROOT } from '../../src/graph/dominators.ts';
import { objectGraphOf } from '../../src/graph/object-graph.ts';
import { pathStepsTo, ROOT_PARENT_BASE } from '../../src/graph/shortest-paths.ts';
import { referencesOf } from '../../src/store/lookup.ts';
import { singletonClassEdgeOf } from '../../src/graph/retaining-edge.ts';
import { loadFixtureDump, RAILS_SERIES, rubySeries } from '../diff/fixture-dumps.ts';

describe.each([RAILS_SERIES[2], rubySeries('3.3.8')[2]])('the object graph of %s', (file) => {
  it('counts every object exactly once: the synthetic root retains the sum of all memsizes', async () => {
    const dump = await loadFixtureDump(file, true);
    const { retainedSizes, dominators } = objectGraphOf(dump);
    let total = 0;
    for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) total += dump.memsizeBytes[ordinal];
    expect(retainedSizes.totalBytes).toBe(total);
    const categoriesBytes = retainedSizes.rootRetainedBytes.reduce((sum, bytes) => sum + bytes, 0);
    expect(categoriesBytes + retainedSizes.syntheticRootOnlyBytes).toBe(total);
    // with singleton classes reached through their objects, few objects are left unreachable
    expect(dominators.unreachableCount).toBeLessThan(dump.objectCount * 0.03);
  });

  it('gives every object a retained size of at least its own and at most its dominator’s', async () => {
    const dump = await loadFixtureDump(file, true);
    const { retainedSizes, dominators } = objectGraphOf(dump);
    for (let ordinal = 0; ordinal < dump.objectCount; ordinal++) {
      const retained = retainedSizes.retainedBytes[ordinal];
      expect(retained).toBeGreaterThanOrEqual(dump.memsizeBytes[ordinal]);
      const dominator = dominators.dominatorOf[ordinal];
      if (dominator !== DOMINATED_BY_SYNTHETIC_ROOT && dominator < ROOT_PARENT_BASE) {
        expect(retainedSizes.retainedBytes[dominator]).toBeGreaterThanOrEqual(retained + dump.memsizeBytes[dominator]);
      }
    }
  });

  it('builds paths whose every hop really references the next one (or is its singleton class), from a ROOT line', async () => {
    const dump = await loadFixtureDump(file, true);
    const { paths } = objectGraphOf(dump);
    let checked = 0;
    for (let ordinal = 0; ordinal < dump.objectCount; ordinal += 97) {
      const steps = pathStepsTo(dump, paths, ordinal);
      if (steps.length === 0) continue;
      expect(steps[0].rootCategory).not.toBeNull();
      expect(steps.at(-1)?.heldOrdinal).toBe(ordinal);
      for (const step of steps.slice(1)) {
        const holder = step.holderOrdinal ?? -1;
        const held = [...referencesOf(dump, holder), singletonClassEdgeOf(dump, holder)];
        expect(held).toContain(step.heldOrdinal);
      }
      expect(steps.length).toBe(paths.depthOf[ordinal]);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
