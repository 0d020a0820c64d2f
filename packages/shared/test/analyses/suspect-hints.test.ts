import { describe, expect, it } from 'vitest';
import { hintFor, type HintInput } from '../../src/analyses/suspect-hints.ts';

const base: HintInput = {
  holderType: 'ARRAY',
  holderClassName: 'Array',
  holderHeldAs: 'constant, class variable or class-level ivar',
  holderParentType: 'CLASS',
  members: [],
  growth: [10, 310, 430],
};

describe('hintFor', () => {
  it('calls retained File or socket objects a file descriptor leak before anything else', () => {
    const hint = hintFor({ ...base, members: [{ type: 'FILE', className: 'File', count: 12, memsizeBytes: 2000 }] });
    expect(hint.pattern).toBe('file-descriptors');
    expect(hint.text).toContain('12 File/socket objects');
    const sockets = hintFor({ ...base, members: [{ type: 'DATA', className: 'TCPSocket', count: 3, memsizeBytes: 300 }] });
    expect(sockets.pattern).toBe('file-descriptors');
  });

  it('calls a class-level Hash that only grows a cache without eviction, noting large values', () => {
    const hint = hintFor({ ...base, holderType: 'HASH', holderClassName: 'Hash', members: [{ type: 'STRING', className: 'String', count: 100, memsizeBytes: 2_560_000 }] });
    expect(hint.pattern).toBe('growing-cache-hash');
    expect(hint.text).toContain('large strings');
  });

  it('recognises event objects piling up in a buffer', () => {
    const hint = hintFor({ ...base, members: [{ type: 'OBJECT', className: 'Ahoy::Event', count: 300, memsizeBytes: 24000 }] });
    expect(hint.pattern).toBe('event-accumulation');
    expect(hint.text).toContain('Ahoy::Event');
    expect(hint.text).toContain('an Array held at class level');
  });

  it('flags model instances held at class level when they are not events', () => {
    const hint = hintFor({ ...base, members: [{ type: 'OBJECT', className: 'User', count: 50, memsizeBytes: 4000 }] });
    expect(hint.pattern).toBe('class-level-holder');
  });

  it('flags large strings held by an ordinary object, and leaves small odd groups unclassified', () => {
    const local = { ...base, holderType: 'OBJECT', holderClassName: 'Renderer', holderParentType: 'OBJECT' };
    expect(hintFor({ ...local, members: [{ type: 'STRING', className: 'String', count: 4, memsizeBytes: 80_000 }] }).pattern).toBe('large-strings');
    expect(hintFor({ ...local, members: [{ type: 'IMEMO', className: '(IMEMO ment)', count: 1, memsizeBytes: 48 }] }).pattern).toBe('unclassified');
  });
});
