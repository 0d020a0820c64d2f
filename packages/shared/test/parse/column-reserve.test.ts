/**
 * `minColumnBytes`: the per-object columns of a dump expected to be large
 * get at least that capacity, whose spare is never written, and the parse
 * hands the columns out as views of it instead of trimmed copies; the
 * parsed dump is the same as without the reserve.
 */
import { describe, expect, it } from 'vitest';
import { parseFixture } from './dump-files.ts';
import { expectSameDump } from './same-dump.ts';

const RESERVE_BYTES = 33 * 1024 * 1024;
/** what the file size tells the parser: enough for ~360,000 expected rows, past the reserve's threshold */
const LARGE_TOTAL_BYTES = 100_000_000;
const FIXTURE = 'rails-series-a/heap_dump_signal_24329_1795948963.json.gz';

describe('column reserve', () => {
  it.each([true, false])('gives the same dump with and without the reserve (references: %s), the columns then being views of the reserved buffers', async (references) => {
    const plain = await parseFixture(FIXTURE, { references, totalBytes: LARGE_TOTAL_BYTES });
    const reserved = await parseFixture(FIXTURE, { references, totalBytes: LARGE_TOTAL_BYTES, minColumnBytes: RESERVE_BYTES });
    expectSameDump(reserved, plain);
    for (const column of ['address', 'typeCode', 'flagBits', 'classOrdinal', 'memsizeBytes', 'generation', 'siteOrdinal'] as const) {
      expect(reserved[column].length, column).toBe(reserved.objectCount);
      expect(reserved[column].buffer.byteLength, column).toBeGreaterThanOrEqual(RESERVE_BYTES);
      // without the reserve, a column filled to less than 3/4 of its estimate is trimmed to its rows
      expect(plain[column].buffer.byteLength, column).toBe(plain[column].byteLength);
    }
    // the string prefix pool too, when string values are kept
    if (references) {
      expect(reserved.stringValues.prefixPool.buffer.byteLength).toBeGreaterThanOrEqual(RESERVE_BYTES);
      expect(plain.stringValues.prefixPool.buffer.byteLength).toBe(plain.stringValues.prefixPool.byteLength);
    }
  });

  it('leaves a dump expected to be small sized to its rows', async () => {
    const small = await parseFixture(FIXTURE, { minColumnBytes: RESERVE_BYTES });
    expect(small.address.buffer.byteLength).toBeLessThan(RESERVE_BYTES);
  });
});
