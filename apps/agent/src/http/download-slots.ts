/**
 * A counter that bounds concurrent dump downloads: a heap dump of a big Rails
 * worker is hundreds of megabytes, and the agent shares the host with the
 * app it is watching. A slot is taken before the file is opened and given
 * back exactly once, when the file stream closes (end, error or a client that
 * went away).
 */
export class DownloadSlots {
  private inUse = 0;

  constructor(readonly capacity: number) {}

  get active(): number {
    return this.inUse;
  }

  /** A release function, or null when every slot is taken. */
  tryAcquire(): (() => void) | null {
    if (this.inUse >= this.capacity) return null;
    this.inUse += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
    };
  }
}
