// Preloaded (`node --import`) into the `leakpilot` command the diff bench
// runs (diff.child.ts): at exit, writes the process's peak RSS in KiB
// (getrusage maxRSS: every thread, workers included) to the file named by
// LEAKPILOT_PEAK_RSS_FILE, so the figure is the command's own and no wrapper
// process is measured with it.
import { writeFileSync } from 'node:fs';

const target = process.env.LEAKPILOT_PEAK_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
