import { describe, expect, it } from 'vitest';
import { EngineSession } from '../../src/api/engine.ts';
import { ENGINE_METHODS } from '../../src/api/engine-api.ts';
import { loadFixtureDump, RAILS_SERIES } from '../diff/fixture-dumps.ts';

async function railsSession(): Promise<EngineSession> {
  const session = new EngineSession();
  const dumps = await Promise.all(RAILS_SERIES.map((file) => loadFixtureDump(file, true)));
  dumps.forEach((dump, i) => session.addDump(`d${i + 1}`, dump));
  return session;
}

describe('EngineSession', () => {
  it('answers diff and suspects with plain data that survives structured cloning (the worker boundary)', async () => {
    const session = await railsSession();
    const diff = session.diff(['d1', 'd2', 'd3']);
    const suspects = session.suspects(['d1', 'd2', 'd3']);
    expect(structuredClone(diff)).toEqual(diff);
    expect(structuredClone(suspects)).toEqual(suspects);
    expect(diff.retained?.count).toBe(2609);
    const summary = session.summary('d3');
    expect(structuredClone(summary)).toEqual(summary);
    expect(session.summary('d3')).toBe(summary);
    for (const method of ENGINE_METHODS) expect(typeof session[method]).toBe('function');
  });

  it('pages a diff table in any sort order, consistent with the whole list', async () => {
    const session = await railsSession();
    const diff = session.diff(['d1', 'd2', 'd3']);
    const tableId = 'diff:d1,d2,d3:retained:byAllocation';
    const info = session.tables().find((table) => table.tableId === tableId);
    expect(info?.rowCount).toBe(diff.retained?.byAllocation.length);
    const firstPage = session.rows(tableId, 0, 3);
    expect(firstPage.rows).toEqual(diff.retained?.byAllocation.slice(0, 3));
    const byBytes = session.rows(tableId, 0, 2, { key: 'memsizeBytes', descending: true });
    expect(byBytes.rows[0]).toMatchObject({ location: '/srv/leakyapp/app/services/report_builder.rb:6', count: 100 });
    expect(session.rows(tableId, 5, 1000).end).toBe(info?.rowCount);
    expect(() => session.rows(tableId, 0, 5, { key: 'nope', descending: true })).toThrow(/cannot be sorted/);
    expect(() => session.rows('diff:x:y', 0, 5)).toThrow(/no table/);
  });

  it('sorts the objects table only as far as a page needs, with the same answer as a full sort', async () => {
    const session = await railsSession();
    const shallow = session.rows('objects:d3', 0, 50, { key: 'retainedBytes', descending: true });
    const deep = session.rows('objects:d3', 0, 6000, { key: 'retainedBytes', descending: true });
    expect(deep.rows.slice(0, 50)).toEqual(shallow.rows);
    const retained = deep.rows.map((row) => Number(row.retainedBytes));
    expect(retained).toEqual([...retained].sort((a, b) => b - a));
    expect(shallow.rowCount).toBe(127719);
  });

  it('finds Ahoy::Event by class name and by address, and inspects an event with its holder and path', async () => {
    const session = await railsSession();
    const search = session.search('d3', 'ahoy::ev');
    expect(search.classes[0]).toMatchObject({ className: 'Ahoy::Event', count: 430, tableId: 'objects:d3:class:Ahoy::Event' });
    const page = session.rows(search.classes[0].tableId, 0, 1);
    const address = String(page.rows[0].address);
    expect(session.search('d3', address).object).toMatchObject({ address, className: 'Ahoy::Event' });
    const inspection = session.inspect('d3', address);
    expect(inspection).toMatchObject({ type: 'OBJECT', className: 'Ahoy::Event', location: '/srv/leakyapp/app/models/ahoy/event.rb:14', method: 'new', referenceCount: 5 });
    expect(inspection.retainers).toHaveLength(1);
    expect(inspection.retainers[0]).toMatchObject({ type: 'ARRAY', className: 'Array' });
    expect(inspection.retainers[0].label).toMatch(/^element \[\d+\]$/);
    expect(inspection.retainedBytes).toBeGreaterThan(inspection.memsizeBytes);
    expect(inspection.pathToRoot.at(-1)?.address).toBe(address);
    expect(() => session.inspect('d3', '0x1')).toThrow(/no object at 0x1/);
    expect(() => session.inspect('nope', address)).toThrow(/no dump/);
  });

  it('forgets the tables and cached results of a removed dump, and only those', async () => {
    const session = await railsSession();
    session.diff(['d1', 'd2']);
    session.rows('objects:d3', 0, 1);
    session.removeDump('d1');
    expect(session.tables().map((table) => table.tableId)).toEqual(['objects:d3']);
    expect(() => session.diff(['d1', 'd2'])).toThrow(/no dump with id "d1"/);
  });
});
