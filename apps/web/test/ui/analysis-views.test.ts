/**
 * The compare and suspects views rendered (Svelte SSR) from the engine's real
 * answers on the Ruby 3.3.8 fixture series, whose ground truth is 400
 * Ahoy::Event objects and 150 cache strings likely retained.
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SuspectsReport } from '@leakpilot/shared/analyses/suspects.ts';
import { EngineSession } from '@leakpilot/shared/api/engine.ts';
import type { DiffResult } from '@leakpilot/shared/diff/diff-types.ts';
import { parseHeapDump } from '@leakpilot/shared/parse/parse-heap-dump.ts';
import type { JsonValue, SessionResult } from '@leakpilot/shared/session/session-types.ts';
import { render } from 'svelte/server';
import { beforeAll, describe, expect, it } from 'vitest';
import CompareView from '../../src/components/analysis/CompareView.svelte';
import SuspectsView from '../../src/components/analysis/SuspectsView.svelte';

const SERIES = ['01-baseline', '02-after-leak1', '03-after-leak2'];
const engine = new EngineSession();
let diff3: DiffResult;
let diff2: DiffResult;
let suspects: SuspectsReport;

function resultOf(kind: SessionResult['kind'], data: unknown, dumpIds: string[]): SessionResult {
  return { id: kind, kind, dumpIds, title: `${kind} of the series`, createdAtMs: 0, data: data as JsonValue };
}

beforeAll(async () => {
  for (const [index, name] of SERIES.entries()) {
    const path = fileURLToPath(new URL(`../../../../fixtures/ruby-3.3.8/${name}.json.gz`, import.meta.url));
    engine.addDump(`d${index + 1}`, await parseHeapDump(createReadStream(path) as unknown as AsyncIterable<Uint8Array>));
  }
  diff3 = engine.diff(['d1', 'd2', 'd3']);
  diff2 = engine.diff(['d1', 'd2']);
  suspects = engine.suspects(['d1', 'd2', 'd3']);
}, 60_000);

describe('CompareView', () => {
  it('opens on the likely retained objects of three dumps and spells out the identity used', () => {
    const html = render(CompareView, { props: { result: resultOf('diff', diff3, ['d1', 'd2', 'd3']), onPickClass: () => undefined } }).body;
    expect(html).toContain(`likely retained · ${diff3.retained?.count.toLocaleString('en-US')}`);
    expect(html).toContain('address + type + generation');
    expect(html).toContain('Ahoy::Event');
    expect(html).toContain('live in dump 3');
  });

  it('offers only new and freed objects for two dumps', () => {
    const html = render(CompareView, { props: { result: resultOf('diff', diff2, ['d1', 'd2']), onPickClass: () => undefined } }).body;
    expect(html).not.toContain('likely retained ·');
    expect(html).toContain(`new · ${diff2.new.count.toLocaleString('en-US')}`);
    expect(html).toContain('live in after');
  });
});

describe('SuspectsView', () => {
  it('shows every suspect, the first opened with its hint and a retainer path from a ROOT', () => {
    const html = render(SuspectsView, {
      props: { result: resultOf('suspects', suspects, ['d1', 'd2', 'd3']), onInspect: () => undefined, onPickClass: () => undefined },
    }).body;
    expect(html.match(/data-testid="suspect"/g)?.length).toBe(suspects.suspects.length);
    expect(html).toContain(suspects.suspects[0].hint);
    expect(html).toMatch(/data-testid="retainer-path"[\s\S]*ROOT/);
    expect(html).toContain('likely retained');
    expect(html).not.toMatch(/\bleaked\b/i);
    const eventSuspect = suspects.suspects.find((suspect) => suspect.classNames.includes('Ahoy::Event'));
    expect(eventSuspect?.allocations.find((row) => row.className === 'Ahoy::Event')?.count).toBe(400);
    expect(html).toContain(eventSuspect?.title ?? 'missing');
  });
});
