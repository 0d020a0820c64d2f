import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeClaims, TooManyRangesError } from '../src/shared-cli/range-claims.ts';

describe('RangeClaims', () => {
  it('hands out every range exactly once, the front ascending from 0 and the back descending from the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.array(fc.boolean(), { maxLength: 400 }), (count, fromFrontSequence) => {
        const claims = new RangeClaims(count);
        const front: number[] = [];
        const back: number[] = [];
        for (const fromFront of fromFrontSequence) {
          const claimed = fromFront ? claims.claimFront() : claims.claimBack();
          if (claimed !== null) (fromFront ? front : back).push(claimed);
        }
        for (let claimed = claims.claimFront(); claimed !== null; claimed = claims.claimFront()) front.push(claimed);
        expect(front).toEqual(Array.from(front, (_, at) => at));
        expect(back).toEqual(Array.from(back, (_, at) => count - 1 - at));
        expect(front.length + back.length).toBe(count);
        expect(claims.claimBack()).toBe(null);
      }),
    );
  });

  it('shares its state with another RangeClaims over the same buffer (as a worker sees it)', () => {
    const claims = new RangeClaims(65535);
    const seenByWorker = new RangeClaims(claims.buffer);
    expect(claims.claimFront()).toBe(0);
    expect(seenByWorker.claimBack()).toBe(65534);
    expect(seenByWorker.claimFront()).toBe(1);
    claims.claimAll();
    expect(seenByWorker.claimBack()).toBe(null);
  });

  it('refuses more ranges than its 16-bit counters hold', () => {
    expect(() => new RangeClaims(65536)).toThrow(TooManyRangesError);
  });
});
