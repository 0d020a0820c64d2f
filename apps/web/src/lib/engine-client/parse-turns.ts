/**
 * At most `limit` parses run at once (one worker each); the rest wait here in
 * order. A waiting parse can be withdrawn (cancel while queued) without ever
 * having started a worker.
 */
interface Waiter {
  key: string;
  start: () => void;
  reject: (error: Error) => void;
}

export class ParseTurns {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves when `key` may start; call `release()` exactly once afterwards. */
  acquire(key: string): Promise<void> {
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({
        key,
        start: () => {
          this.running += 1;
          resolve();
        },
        reject,
      });
    });
  }

  release(): void {
    this.running -= 1;
    this.waiting.shift()?.start();
  }

  /** Rejects a waiting `key` with `error`; false when it is not waiting (running or unknown). */
  withdraw(key: string, error: Error): boolean {
    const index = this.waiting.findIndex((waiter) => waiter.key === key);
    if (index < 0) return false;
    const [waiter] = this.waiting.splice(index, 1);
    waiter.reject(error);
    return true;
  }

  /** Rejects every waiting parse (dispose). */
  rejectAll(error: (key: string) => Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error(waiter.key));
  }
}
