/**
 * Samples the resident memory of a Chromium profile's renderer processes from
 * /proc (Linux), to record a tab's peak memory during a measurement: a page
 * and its dedicated workers live in one renderer process, so its VmRSS is the
 * tab's memory as the OS sees it. Processes are found by the profile folder in
 * their command line and `--type=renderer`; Chromium keeps a few idle
 * renderers (about 100 MB each, mostly shared zygote pages), so the largest
 * one is taken, not the sum: during a parse that is the tab's.
 */
import { readdirSync, readFileSync } from 'node:fs';

function largestRendererRssBytes(profileDir: string): number {
  let largest = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes(profileDir)) continue;
      const rssKb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (rssKb) largest = Math.max(largest, Number(rssKb) * 1024);
    } catch {
      // the process exited between listing and reading
    }
  }
  return largest;
}

/** Starts sampling every `intervalMs`; `stop()` returns the peak seen, in bytes. */
export function sampleRendererPeak(profileDir: string, intervalMs = 100): { stop(): number } {
  let peakBytes = largestRendererRssBytes(profileDir);
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, largestRendererRssBytes(profileDir));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peakBytes, largestRendererRssBytes(profileDir));
    },
  };
}
