import { describe, expect, it } from 'vitest';
import { findSuspects } from '../../src/analyses/suspects.ts';
import { loadFixtureDump, RAILS_SERIES, rubySeries } from '../diff/fixture-dumps.ts';

async function railsReport() {
  const before = await loadFixtureDump(RAILS_SERIES[0], false);
  const after = await loadFixtureDump(RAILS_SERIES[1], false);
  const later = await loadFixtureDump(RAILS_SERIES[2], true);
  return findSuspects(before, after, later);
}

describe('findSuspects on the real Rails series (rails-series-a)', () => {
  it('ranks the two known leaks first, with their exact object counts', async () => {
    const report = await railsReport();
    expect(report.retainedCount).toBe(2609);
    const [first, second] = report.suspects;
    // leak (b): ~25 KB report strings, more bytes than leak (a)
    expect(first.count).toBe(200);
    expect(first.holder).toMatchObject({ type: 'HASH', parentType: 'CLASS', parentClassName: 'ReportCache' });
    expect(first.pattern).toBe('growing-cache-hash');
    expect(first.growth).toEqual([10, 110, 150]);
    // leak (a): 8 objects per /track request over 300 requests, from 7 allocation sites
    expect(second.count).toBe(2400);
    expect(second.holder).toMatchObject({ type: 'ARRAY', parentType: 'CLASS', parentClassName: 'Ahoy::Event' });
    expect(second.pattern).toBe('event-accumulation');
    expect(second.locations).toHaveLength(7);
    expect(second.classNames).toEqual(expect.arrayContaining(['Ahoy::Event', 'String', 'Hash', 'Time']));
    expect(second.growth).toEqual([10, 310, 430]);
    expect(first.retainedBytes).toBeGreaterThan(second.retainedBytes);
  });

  it('titles a suspect by its holder and what it holds directly', async () => {
    const report = await railsReport();
    expect(report.suspects[1].title).toBe(
      'Array held by class Ahoy::Event (a constant, class variable or class-level ivar) holds 2,400 objects: ' +
        '300 Ahoy::Event allocated at app/models/ahoy/event.rb:14, and 2,100 more from 6 other sites',
    );
    expect(report.appRoot).toBe('/srv/leakyapp');
  });

  it('gives each leak a retainer path from a ROOT line through its holder', async () => {
    const report = await railsReport();
    const path = report.suspects[1].retainerPath;
    expect(path[0].rootCategory).not.toBeNull();
    expect(path.map((hop) => hop.className)).toEqual(expect.arrayContaining(['Ahoy::Event', 'Array']));
    expect(path[path.length - 1]).toMatchObject({ type: 'OBJECT', className: 'Ahoy::Event', holds: '' });
    expect(path[path.length - 2].holds).toMatch(/^element \[\d+\]$/);
    const cachePath = report.suspects[0].retainerPath;
    expect(cachePath[cachePath.length - 2].holds).toMatch(/^value at "/);
  });

  it('keeps the few one-off objects of the dump handler below the leaks', async () => {
    const report = await railsReport();
    expect(report.byAllocation[0]).toMatchObject({ type: 'STRING', count: 600, liveCounts: [20, 620, 860] });
    for (const suspect of report.suspects.slice(2)) expect(suspect.count).toBeLessThan(10);
  });
});

describe.each(['3.1.2', '3.3.8'] as const)('findSuspects on the Ruby %s scenario', (version) => {
  it('puts the cache Hash and the event Array on top with 150 and 400 x objects', async () => {
    const [before, after, later] = await Promise.all(rubySeries(version).map((file, i) => loadFixtureDump(file, i === 2)));
    const report = findSuspects(before, after, later);
    const top = report.suspects.slice(0, 2);
    const cache = top.find((suspect) => suspect.holder.type === 'HASH');
    const events = top.find((suspect) => suspect.holder.type === 'ARRAY');
    expect(cache?.allocations.find((row) => row.location.endsWith('make_dumps.rb:68'))?.count).toBeGreaterThanOrEqual(150);
    expect(events?.allocations.find((row) => row.className === 'Ahoy::Event')?.count).toBe(400);
  });
});
