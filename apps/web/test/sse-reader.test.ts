// The event-stream line protocol, fed the same stream in every possible
// two-chunk split: the events must not depend on where chunks end.
import { describe, expect, it } from 'vitest';
import { SseParser, type ServerSentEvent } from '../src/lib/agent-client/sse-reader.ts';

const stream = 'id: 7\r\nevent: sample\r\ndata: {"a":1}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\r\rdata:no-space\n\nevent: empty\n\n';
const expected: ServerSentEvent[] = [
  { event: 'sample', data: '{"a":1}', lastEventId: '7' },
  { event: 'message', data: 'line one\nline two', lastEventId: '7' },
  { event: 'message', data: 'no-space', lastEventId: '7' },
];

describe('SseParser', () => {
  it('gives the same events for every split of the stream into two chunks', () => {
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('reads the retry delay and ignores an event with no data', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 1500\nevent: x\n\n')).toEqual([]);
    expect(parser.retryMs).toBe(1500);
  });
});
