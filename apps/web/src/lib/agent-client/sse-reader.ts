/**
 * A reader of `text/event-stream` bodies over fetch, for endpoints that need an
 * `Authorization` header (EventSource cannot send one). `SseParser` is the
 * pure line protocol of the HTML spec's "event stream interpretation":
 * `event:`, `data:` (joined with newlines), `id:`, `retry:`, comments (`:`),
 * and dispatch on a blank line; CR, LF and CRLF all end a line, including a CR
 * at the end of one chunk and LF at the start of the next.
 */
export interface ServerSentEvent {
  /** `message` when the stream gave no `event:` field */
  event: string;
  data: string;
  /** the last `id:` seen, as the spec's "last event ID" */
  lastEventId: string;
}

export class SseParser {
  private pending = '';
  private skipLeadingLf = false;
  private eventType = '';
  private dataLines: string[] = [];
  private lastEventId = '';
  /** the server's requested reconnection delay, when it sent `retry:` */
  retryMs: number | null = null;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let input = this.pending + text;
    if (this.skipLeadingLf && input.startsWith('\n')) input = input.slice(1);
    this.skipLeadingLf = false;
    let lineStart = 0;
    for (let i = 0; i < input.length; i += 1) {
      const char = input.charCodeAt(i);
      if (char !== 0x0a && char !== 0x0d) continue;
      this.processLine(input.slice(lineStart, i), events);
      if (char === 0x0d) {
        if (i + 1 === input.length) this.skipLeadingLf = true;
        else if (input.charCodeAt(i + 1) === 0x0a) i += 1;
      }
      lineStart = i + 1;
    }
    this.pending = input.slice(lineStart);
    return events;
  }

  private processLine(line: string, events: ServerSentEvent[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) {
        events.push({ event: this.eventType || 'message', data: this.dataLines.join('\n'), lastEventId: this.lastEventId });
      }
      this.eventType = '';
      this.dataLines = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.dataLines.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }
}

/** Reads an event-stream body to its end (or until `signal` aborts), calling `onEvent` per event. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
  signal?: AbortSignal,
  /** pass one to read its `retryMs` even when the stream fails midway */
  parser: SseParser = new SseParser(),
): Promise<SseParser> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event);
    }
    for (const event of parser.push(decoder.decode())) onEvent(event);
    return parser;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
