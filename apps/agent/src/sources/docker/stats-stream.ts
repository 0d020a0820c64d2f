/**
 * One container's stats stream: GET /containers/{id}/stats?stream=true kept
 * open over its own connection, its body turned into documents by
 * statsDocuments (stats-documents.ts) and each document into a sample
 * (stats-sample.ts). No byte for `idleTimeoutMs` ends the stream (the
 * daemon sends a document a second), so a stuck daemon cannot hold a
 * connection silently.
 *
 * Lifecycle: `onClose` is called exactly once when the stream ends by
 * itself (an error, malformed JSON, the daemon closing it when the
 * container stops), and never after `close()`, which the follower calls to
 * stop it. Either way the connection is closed.
 */
import type { IncomingMessage } from 'node:http';
import { DockerRequestError, type DockerClient, type DockerStream } from './docker-client.ts';
import { StatsStreamError, statsDocuments } from './stats-documents.ts';
import { asStatsBody, sampleOf, type ContainerStatsSample } from './stats-sample.ts';

export interface StatsStreamHandlers {
  onSample(sample: ContainerStatsSample): void;
  /** The stream ended by itself: `error` is null when the daemon ended it cleanly. */
  onClose(error: Error | null): void;
}

export interface StatsStreamOptions {
  now: () => number;
  idleTimeoutMs: number;
  maxDocumentBytes: number;
}

export function statsStreamPath(containerId: string): string {
  return `/containers/${containerId}/stats?stream=true`;
}

export class ContainerStatsStream {
  private readonly request: DockerStream;
  private done = false;

  constructor(
    client: DockerClient,
    readonly containerId: string,
    private readonly handlers: StatsStreamHandlers,
    private readonly options: StatsStreamOptions,
  ) {
    this.request = client.openStream(statsStreamPath(containerId), options.idleTimeoutMs);
    this.request.response.then(
      (res) => void this.read(res),
      (error: unknown) => this.finish(error instanceof Error ? error : new DockerRequestError(String(error))),
    );
  }

  /** Stops the stream and closes its connection; no handler is called afterwards. */
  close(): void {
    this.done = true;
    this.request.close();
  }

  private async read(res: IncomingMessage): Promise<void> {
    const shortId = this.containerId.slice(0, 12);
    try {
      for await (const document of statsDocuments(res, this.options.maxDocumentBytes)) {
        if (this.done) break;
        this.handlers.onSample(sampleOf(asStatsBody(document), this.options.now()));
      }
      // A response cut off mid-stream ends the iteration quietly; only a complete one is a clean end.
      this.finish(res.complete ? null : new StatsStreamError(`stats stream of ${shortId} was cut off`));
    } catch (error) {
      const message = (error as Error).message;
      this.finish(error instanceof StatsStreamError ? new StatsStreamError(`stats stream of ${shortId}: ${message}`) : (error as Error));
    }
  }

  private finish(error: Error | null): void {
    if (this.done) return;
    this.done = true;
    this.request.close();
    this.handlers.onClose(error);
  }
}
