import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileTooLargeForClaimsError, RangeClaims, type ClaimedRange } from '../src/shared-cli/range-claims.ts';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('RangeClaims', () => {
  it('hands out every byte exactly once: the front contiguous from 0, the back contiguous down from the end, within the range bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * MIB }), fc.integer({ min: 2, max: 4 }), fc.array(fc.boolean(), { maxLength: 300 }), (sizeBytes, threadCount, fromFrontSequence) => {
        const claims = new RangeClaims({ sizeBytes, threadCount });
        const front: ClaimedRange[] = [];
        const back: ClaimedRange[] = [];
        for (const fromFront of fromFrontSequence) {
          const claimed = fromFront ? claims.claimFront() : claims.claimBack();
          if (claimed !== null) (fromFront ? front : back).push(claimed);
        }
        for (let claimed = claims.claimFront(); claimed !== null; claimed = claims.claimFront()) front.push(claimed);
        expect(claims.claimBack()).toBe(null);
        const inFileOrder = [...front, ...back.reverse()];
        let expectedStart = 0;
        inFileOrder.forEach(({ start, end }, at) => {
          expect(start).toBe(expectedStart);
          const stop = end ?? sizeBytes;
          expect(stop).toBeGreaterThan(start);
          expect(stop - start).toBeLessThanOrEqual(16 * MIB);
          // only the range at the meeting point and the file's last may be shorter than 1 MiB
          if (stop - start < MIB && end !== null && at !== front.length - 1 && at !== front.length) expect.fail(`range ${start}..${stop} is shorter than 1 MiB`);
          expectedStart = stop;
        });
        expect(expectedStart).toBe(sizeBytes);
        if (inFileOrder.length > 0) expect(inFileOrder.at(-1)?.end).toBe(null);
      }),
      { numRuns: 300 },
    );
  });

  it('shrinks the ranges as the unclaimed middle does', () => {
    const claims = new RangeClaims({ sizeBytes: 1024 * MIB, threadCount: 2 });
    const lengths: number[] = [];
    for (let claimed = claims.claimFront(); claimed !== null; claimed = claims.claimBack() ?? claims.claimFront()) lengths.push((claimed.end ?? 1024 * MIB) - claimed.start);
    expect(lengths[0]).toBe(16 * MIB);
    expect(Math.min(...lengths.slice(-4))).toBeLessThanOrEqual(MIB);
  });

  it('shares its state with another RangeClaims over the same buffer (as a worker sees it)', () => {
    const claims = new RangeClaims({ sizeBytes: 100 * MIB, threadCount: 2 });
    const seenByWorker = new RangeClaims(claims.buffer);
    expect(claims.claimFront()).toEqual({ start: 0, end: 16 * MIB });
    expect(seenByWorker.claimBack()).toEqual({ start: 100 * MIB - 16 * MIB, end: null });
    expect(seenByWorker.claimFront()?.start).toBe(16 * MIB);
    claims.claimAll();
    expect(seenByWorker.claimBack()).toBe(null);
  });

  it('refuses a file past what its 32-bit counters of 64 KiB units hold', () => {
    expect(() => new RangeClaims({ sizeBytes: 2 ** 49, threadCount: 2 })).toThrow(FileTooLargeForClaimsError);
  });
});
