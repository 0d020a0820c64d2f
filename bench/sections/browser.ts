/**
 * The PWA in Debian's Chromium on the >= 1 GB dump: the built app is served by
 * the real agent, the dump is opened as a local file (file input, so the
 * browser streams it from disk) and summarized; measured beside the CLI's
 * `leakpilot summary --json` on the same file in the same run.
 *
 * Figures:
 * - parseSeconds: click to "parsed" in the UI (worker parse incl. progress
 *   messages); summarySeconds: click to the summary table shown;
 * - cliSummarySeconds: `node apps/cli/bin/leakpilot.mjs summary FILE --json`;
 * - longestTaskMs / longTasks: main-thread long tasks (PerformanceObserver
 *   'longtask', > 50 ms) between the click and the summary, the budget being
 *   no task over 100 ms;
 * - tabPeakRssMb: peak RSS of the largest renderer process (the tab, with its
 *   dedicated workers, which live in the same process), sampled every 100 ms
 *   from /proc; renderersPeakRssMb: peak of the sum over all renderers;
 * - then all objects of that dump in the virtualized "Large objects" table:
 *   time to the first rows (the worker sorts by size), 40 jumps through the
 *   whole table and one to its end, and the long tasks meanwhile.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { BenchContext } from '../context.ts';
import { startAgent } from '../../tests/helpers/agent-process.ts';
import { openProfile } from '../../tests/helpers/chromium.ts';
import { REPO_ROOT, ensureWebBuilt } from '../../tests/helpers/web-build.ts';

const MB = 1024 * 1024;

interface ProcInfo {
  ppid: number;
  rssBytes: number;
  cmdline: string;
}

function readProc(pid: string): ProcInfo | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      ppid: Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0),
      rssBytes: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024,
      cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '),
    };
  } catch {
    return null;
  }
}

/** RSS of each renderer process of the Chromium that runs with `userDataDir`. */
function rendererRss(userDataDir: string): number[] {
  const procs = new Map<number, ProcInfo>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const info = readProc(pid);
    if (info) procs.set(Number(pid), info);
  }
  const roots = [...procs.entries()].filter(([, info]) => info.cmdline.includes(`--user-data-dir=${userDataDir}`)).map(([pid]) => pid);
  const inTree = (pid: number): boolean => {
    for (let current = pid, hops = 0; current > 1 && hops < 16; hops += 1) {
      if (roots.includes(current)) return true;
      current = procs.get(current)?.ppid ?? 0;
    }
    return false;
  };
  return [...procs.entries()]
    .filter(([pid, info]) => info.cmdline.includes('--type=renderer') && inTree(pid))
    .map(([, info]) => info.rssBytes);
}

const SCROLL_JUMPS = 40;

interface ScrollFigures {
  rowCount: number;
  /** tab opened to first rows shown (the worker sorts the table) */
  firstRowsMs: number;
  /** last jump (to the end) to the last row's cells filled */
  lastRowFilledMs: number;
  longestTaskMs: number;
  longTasks: number;
}

/** Opens "Large objects", jumps through the whole table, then to its end; long tasks meanwhile. */
async function measureTableScrolling(page: Page): Promise<ScrollFigures> {
  const sinceMs = await page.evaluate(() => performance.now());
  const openedMs = performance.now();
  await page.getByRole('tab', { name: 'Large objects' }).click();
  const table = page.getByRole('table', { name: 'Objects by size' });
  // the loading placeholder is one cell; a filled row has an address in its first cell
  await table.locator('[aria-rowindex="1"] [role=cell]', { hasText: /^0x/ }).first().waitFor({ timeout: 600_000 });
  const firstRowsMs = performance.now() - openedMs;
  const rowCount = Number(await table.getAttribute('aria-rowcount'));
  if (!(rowCount > 0)) throw new Error(`the objects table reports ${rowCount} rows`);
  const scroller = page.getByTestId('vtable-scroller');
  for (let jump = 1; jump <= SCROLL_JUMPS; jump += 1) {
    await scroller.evaluate((element, share) => {
      element.scrollTop = (element.scrollHeight - element.clientHeight) * share;
    }, jump / SCROLL_JUMPS);
    await page.waitForTimeout(50);
  }
  const lastJumpMs = performance.now();
  await table.locator(`[aria-rowindex="${rowCount}"] [role=cell]`, { hasText: /^0x/ }).first().waitFor({ timeout: 600_000 });
  const lastRowFilledMs = performance.now() - lastJumpMs;
  const tasks = (await page.evaluate(
    (since) => (globalThis as unknown as { __longTasks: Array<{ startTime: number; duration: number }> }).__longTasks.filter((task) => task.startTime >= since),
    sinceMs,
  )) as Array<{ startTime: number; duration: number }>;
  return {
    rowCount,
    firstRowsMs,
    lastRowFilledMs,
    longestTaskMs: tasks.reduce((longest, task) => Math.max(longest, task.duration), 0),
    longTasks: tasks.length,
  };
}

function timeCli(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedMs = performance.now();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/leakpilot.mjs'), 'summary', path, '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - startedMs) : reject(new Error(`leakpilot summary exited with ${code}`))));
  });
}

export async function run(ctx: BenchContext): Promise<void> {
  const path = await ctx.largeDumpPath();
  const sizeBytes = statSync(path).size;
  const webDir = ensureWebBuilt();
  const agent = await startAgent({ dumpsDir: mkdtempSync(join(tmpdir(), 'leakpilot-bench-empty-')), webDir });
  const profile = await openProfile();
  try {
    const page = profile.context.pages()[0] ?? (await profile.context.newPage());
    await page.addInitScript(() => {
      const tasks: Array<{ startTime: number; duration: number }> = [];
      (globalThis as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push({ startTime: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(agent.origin);
    await page.locator('.frame[data-ready=true]').waitFor({ timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sessions', exact: true }).click();
    await page.getByTestId('new-session-name').fill('bench');
    await page.getByRole('button', { name: 'Start a session' }).click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Dumps', exact: true }).click();
    await page.getByTestId('local-dump-input').setInputFiles(path);
    const row = page.getByTestId('session-dump').first();
    await row.waitFor();

    let tabPeakBytes = 0;
    let renderersPeakBytes = 0;
    const sampler = setInterval(() => {
      const rss = rendererRss(profile.userDataDir);
      tabPeakBytes = Math.max(tabPeakBytes, ...rss, 0);
      renderersPeakBytes = Math.max(renderersPeakBytes, rss.reduce((sum, bytes) => sum + bytes, 0));
    }, 100);
    const pageStartMs = await page.evaluate(() => performance.now());
    const startedMs = performance.now();
    await row.getByRole('button', { name: 'Summary' }).click();
    await row.getByTestId('parsed').waitFor({ timeout: 600_000 });
    const parseMs = performance.now() - startedMs;
    await page.getByTestId('summary-table').waitFor({ timeout: 600_000 });
    const summaryMs = performance.now() - startedMs;
    clearInterval(sampler);
    const longTasks = (await page.evaluate(
      (sinceMs) => (globalThis as unknown as { __longTasks: Array<{ startTime: number; duration: number }> }).__longTasks.filter((task) => task.startTime >= sinceMs),
      pageStartMs,
    )) as Array<{ startTime: number; duration: number }>;

    ctx.log(`Chromium: parsed in ${(parseMs / 1000).toFixed(2)} s, summary shown after ${(summaryMs / 1000).toFixed(2)} s`);
    const scrolling = await measureTableScrolling(page);
    ctx.log(`virtual table: ${scrolling.rowCount} rows, ${SCROLL_JUMPS} jumps, longest task ${scrolling.longestTaskMs.toFixed(0)} ms`);
    const cliMs = await timeCli(path);
    ctx.log(`CLI summary --json: ${(cliMs / 1000).toFixed(2)} s`);
    ctx.record('Chromium PWA: open + summarize the 1 GB dump', {
      sizeMb: sizeBytes / MB,
      parseSeconds: parseMs / 1000,
      parseMbPerSecond: sizeBytes / MB / (parseMs / 1000),
      summarySeconds: summaryMs / 1000,
      cliSummarySeconds: cliMs / 1000,
      browserVsCli: summaryMs / cliMs,
      longestTaskMs: longTasks.reduce((longest, task) => Math.max(longest, task.duration), 0),
      longTasks: longTasks.length,
      tabPeakRssMb: tabPeakBytes / MB,
      renderersPeakRssMb: renderersPeakBytes / MB,
    });
    ctx.record('Chromium PWA: scroll all objects of the 1 GB dump (virtualized, paged from the worker)', {
      rows: scrolling.rowCount,
      jumps: SCROLL_JUMPS,
      firstRowsMs: scrolling.firstRowsMs,
      lastRowFilledMs: scrolling.lastRowFilledMs,
      longestTaskMs: scrolling.longestTaskMs,
      longTasks: scrolling.longTasks,
    });
  } finally {
    await profile.close();
    await agent.stop();
  }
}
