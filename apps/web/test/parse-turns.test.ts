// ParseTurns: at most `limit` parses at once, the rest start in order as turns
// are released; a waiting parse can be withdrawn without ever starting.
import { describe, expect, it } from 'vitest';
import { ParseTurns } from '../src/lib/engine-client/parse-turns.ts';

describe('ParseTurns', () => {
  it('runs at most the limit at once and starts the waiting ones in order', async () => {
    const turns = new ParseTurns(2);
    const started: string[] = [];
    const acquire = (key: string) => turns.acquire(key).then(() => started.push(key));
    const all = ['a', 'b', 'c', 'd'].map(acquire);
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    turns.release();
    await all[2];
    expect(started).toEqual(['a', 'b', 'c']);
    turns.release();
    await all[3];
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('withdraws a waiting parse with the given error, and only a waiting one', async () => {
    const turns = new ParseTurns(1);
    await turns.acquire('running');
    const waiting = turns.acquire('queued');
    const cancelled = new Error('cancelled');
    expect(turns.withdraw('running', cancelled)).toBe(false);
    expect(turns.withdraw('queued', cancelled)).toBe(true);
    await expect(waiting).rejects.toBe(cancelled);
    turns.release();
    // the freed turn goes to the next caller at once: nobody was left waiting
    await turns.acquire('next');
  });

  it('rejects everyone waiting on dispose', async () => {
    const turns = new ParseTurns(1);
    await turns.acquire('a');
    const b = turns.acquire('b');
    turns.rejectAll((key) => new Error(`gone ${key}`));
    await expect(b).rejects.toThrow('gone b');
  });
});
