import { describe, expect, it } from 'vitest';
import { parseHash } from '../../src/lib/state/navigation.svelte.ts';

describe('parseHash', () => {
  it('reads the view and the analysis tab from the location hash', () => {
    expect(parseHash('#/analysis/suspects')).toEqual({ view: 'analysis', tab: 'suspects' });
    expect(parseHash('#/guide')).toEqual({ view: 'guide', tab: 'summary' });
  });

  it('falls back to the sessions view for an empty or unknown hash', () => {
    expect(parseHash('')).toEqual({ view: 'sessions', tab: 'summary' });
    expect(parseHash('#/nowhere/else')).toEqual({ view: 'sessions', tab: 'summary' });
  });
});
