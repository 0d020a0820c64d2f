/**
 * Turns the body of a stats stream into whole JSON documents, whatever the
 * chunking. The daemon writes one document per second, back to back (Go's
 * json.Encoder, each followed by a newline), and the socket splits them
 * wherever it likes; stream-json's parser in JSON-streaming mode
 * (`parser({jsonStreaming: true})` + `streamValues`, bundled as
 * `streamValues.withParserAsStream`) assembles each top-level value as its last
 * byte arrives. `streamValues: false` makes the parser emit packed tokens
 * only: the streamer reads nothing else, so string and number chunk tokens
 * would be work for nothing.
 *
 * The parser is stream-json's typed Node Duplex, read with `for await`:
 * documents come out in order, and when the parser fails the documents of
 * earlier chunks have been handed out (stream-json scans a whole chunk
 * before it emits the chunk's tokens, so documents that end in the same
 * chunk as malformed bytes are lost with it). The body is piped in, so the
 * socket is read only as fast as the parser takes it.
 *
 * Rejected: splitting on newlines and JSON.parse per line. It works with
 * today's daemon, but the API documents a stream of JSON objects, not JSON
 * Lines, and stream-json's own JSONL parser is deprecated.
 *
 * Bound: stream-json says it is not built for hostile input, and it
 * assembles a whole document in memory; more than `maxDocumentBytes` read
 * since the last complete document (a real one is a few kilobytes) is an
 * error, so a hostile or broken daemon cannot grow the agent by more than
 * that plus one chunk.
 */
import type { Readable } from 'node:stream';
import streamValues from 'stream-json/streamers/stream-values.js';

export class StatsStreamError extends Error {
  override readonly name = 'StatsStreamError';
}

/**
 * Yields each top-level JSON value of `body`. Throws StatsStreamError on
 * malformed JSON or an oversized document; an error of `body` itself (a
 * closed socket) is thrown as it is. Returning early (the caller stops
 * iterating) destroys the parser and leaves `body` to the caller.
 */
export async function* statsDocuments(body: Readable, maxDocumentBytes: number): AsyncGenerator<unknown, void, undefined> {
  const parser = streamValues.withParserAsStream({ packValues: true, streamValues: false });
  let bodyError: Error | null = null;
  let bytesSinceDocument = 0;
  body.on('data', (chunk: Buffer) => {
    bytesSinceDocument += chunk.length;
    if (bytesSinceDocument > maxDocumentBytes) {
      body.unpipe(parser);
      parser.destroy(new StatsStreamError(`a stats document exceeds ${maxDocumentBytes} bytes`));
    }
  });
  body.once('error', (error: Error) => {
    bodyError = error;
    parser.destroy(error);
  });
  // A body destroyed without an error (its request closed) would leave the parser waiting for an end.
  body.once('close', () => {
    if (body.readableEnded) return;
    bodyError ??= new StatsStreamError('the stream was cut off');
    parser.destroy(bodyError);
  });
  body.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ value: unknown }>) {
      bytesSinceDocument = 0;
      yield item.value;
    }
  } catch (error) {
    if (error === bodyError || error instanceof StatsStreamError) throw error;
    throw new StatsStreamError(`malformed JSON: ${(error as Error).message}`);
  } finally {
    body.unpipe(parser);
    parser.destroy();
  }
}
