/**
 * The PWA's other views in Debian's Chromium against the real agent: a local
 * dump opened through the file input and summarized in a worker; its 127,719
 * objects in the virtualized table, scrolled to the last row; the guided
 * checklist recording progress in the session across a reload; a host that
 * is not there explained in words a person can act on; the host's used memory
 * charted in the "Confirm growth" step with nothing ticked; the host view showing
 * real growing Ruby processes with their growth rate, the escalation rule
 * "several workers growing at once" met by them and the escalation bundle,
 * and a deploy marker with the before/after verdict.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layOutRailsSeries, startAgent, type RunningAgent } from './helpers/agent-process.ts';
import { openProfile, type BrowserProfile } from './helpers/chromium.ts';
import { freeLoopbackPort } from './helpers/puma-cluster.ts';
import { REPO_ROOT, ensureWebBuilt } from './helpers/web-build.ts';

const LAST_DUMP = join(REPO_ROOT, 'fixtures/rails-series-a/heap_dump_signal_24329_1795949061.json.gz');
/** object lines of that dump (fixtures/README.md; the parser tests check the same count) */
const LAST_DUMP_OBJECTS = 127_719;

let agent: RunningAgent;
let profile: BrowserProfile;
let page: Page;
const growers: ChildProcess[] = [];

async function nav(view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

beforeAll(async () => {
  const webDir = ensureWebBuilt();
  // two Ruby processes whose RSS grows ~1 MB/s each (3.6 GB/h), matched by the agent's default pattern
  for (let index = 0; index < 2; index += 1) {
    growers.push(spawn('ruby', ['-e', '$kept = []; loop { $kept << ("x" * 100_000); sleep 0.1 }'], { stdio: 'ignore', detached: true }));
  }
  agent = await startAgent({ dumpsDir: layOutRailsSeries(), webDir, extraArgs: ['--interval', '0.5'] });
  profile = await openProfile();
  page = profile.context.pages()[0] ?? (await profile.context.newPage());
  await page.goto(agent.origin);
  await page.locator('.frame[data-ready=true]').waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  await profile?.close();
  await agent?.stop();
  if (agent) rmSync(agent.dumpsDir, { recursive: true, force: true });
  for (const grower of growers) if (grower.pid) process.kill(-grower.pid, 'SIGKILL');
});

describe('LeakPilot views in Chromium', () => {
  it('opens a local dump, summarizes it in a worker and scrolls all its objects in a virtualized table', async () => {
    await nav('Sessions');
    await page.getByTestId('new-session-name').fill('local dump');
    await page.getByRole('button', { name: 'Start a session' }).click();
    await expect.poll(() => page.locator('[data-testid=current-session]').textContent()).toBe('local dump');
    // starting a session opens the guided checklist a moment after its name shows: wait for it, so that
    // navigation cannot land after (and replace) the view opened next
    await page.getByRole('heading', { name: 'Guided checklist' }).waitFor();
    await nav('Dumps');
    await page.getByTestId('local-dump-input').setInputFiles(LAST_DUMP);
    const row = page.getByTestId('session-dump').first();
    // the row's actions fit the 1280 px window (a long source once pushed them off the page)
    const remove = await row.getByRole('button', { name: 'Remove' }).boundingBox();
    expect(remove).not.toBeNull();
    expect((remove?.x ?? Infinity) + (remove?.width ?? 0)).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
    await row.getByRole('button', { name: 'Summary' }).click();
    await page.getByTestId('summary-table').waitFor({ timeout: 120_000 });
    expect(await page.locator('.totals').textContent()).toContain(LAST_DUMP_OBJECTS.toLocaleString('en-US'));

    await page.getByRole('tab', { name: 'Large objects' }).click();
    const table = page.getByRole('table', { name: 'Objects by size' });
    await expect.poll(() => table.getAttribute('aria-rowcount'), { timeout: 60_000 }).toBe(String(LAST_DUMP_OBJECTS));
    // only a window of rows is in the DOM, whatever the row count
    expect(await table.getByRole('row').count()).toBeLessThan(100);
    await page.getByTestId('vtable-scroller').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    const lastRow = table.locator(`[aria-rowindex="${LAST_DUMP_OBJECTS}"]`);
    await lastRow.waitFor();
    await expect.poll(() => lastRow.textContent(), { timeout: 30_000 }).toMatch(/0x[0-9a-f]+/);
    await lastRow.click();
    await page.getByTestId('inspection').waitFor({ timeout: 60_000 });
  });

  it('shows a dump that is still being written and does not offer to download it yet', async () => {
    writeFileSync(join(agent.dumpsDir, 'heap_dump_signal_4242_1795949999.json.tmp'), '{"address":"0x1", "type":"STRING"}\n');
    await nav('Dumps');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const writing = page.getByTestId('agent-dump').filter({ hasText: 'heap_dump_signal_4242_1795949999.json.tmp' });
    await writing.waitFor({ timeout: 30_000 });
    expect(await writing.textContent()).toContain('being written');
    expect(await writing.getByRole('button', { name: /^download / }).isDisabled()).toBe(true);
  });

  it('cancels a download in flight and keeps nothing of it', async () => {
    const name = 'heap_dump_signal_4243_1795950000.json';
    // 256 MB that gzip cannot shrink, so the transfer takes long enough to cancel
    const chunk = randomBytes(16 * 1024 * 1024);
    writeFileSync(join(agent.dumpsDir, name), Buffer.concat(Array.from({ length: 16 }, () => chunk)));
    await nav('Dumps');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.getByTestId('agent-dump').filter({ hasText: name });
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 30_000 }).toContain('complete');
    const sessionDumpsBefore = await page.getByTestId('session-dump').count();
    await row.getByRole('button', { name: `download ${name}` }).click();
    await row.locator('progress').waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByText('Cancelled.').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('session-dump').count()).toBe(sessionDumpsBefore);
    const opfsFiles = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      try {
        const folder = await root.getDirectoryHandle('dumps');
        let count = 0;
        for await (const _entry of (folder as unknown as { values(): AsyncIterable<unknown> }).values()) count += 1;
        return count;
      } catch {
        return 0;
      }
    });
    expect(opfsFiles).toBe(0);
  });

  it('records the guided checklist in the session and keeps it across a reload', async () => {
    await nav('Guided checklist');
    await page.getByRole('heading', { name: '1. Confirm growth' }).waitFor();
    await page.getByLabel('Step note').fill('RSS of the worker grows about 600 MB/h');
    await page.getByTestId('step-done').click();
    await page.getByRole('heading', { name: '2. Find the worst worker' }).waitFor();
    await page.getByTestId('worst-worker').waitFor({ timeout: 30_000 });
    await page.getByTestId('step-done').click();
    await page.getByRole('heading', { name: '3. Take the first heap dump' }).waitFor();
    expect(await page.locator('pre.command').first().textContent()).toMatch(/^kill -USR2 \d+$/);

    await page.reload();
    await page.locator('.frame[data-ready=true]').waitFor();
    await nav('Guided checklist');
    await page.getByRole('heading', { name: '3. Take the first heap dump' }).waitFor();
    expect(await page.locator('ol.steps [data-status=done]').count()).toBe(2);
    await page.locator('ol.steps button', { hasText: 'Confirm growth' }).click();
    expect(await page.getByLabel('Step note').inputValue()).toBe('RSS of the worker grows about 600 MB/h');
  });

  it('draws the host used memory in the Confirm growth step without ticking any process', async () => {
    await nav('Guided checklist');
    await page.locator('ol.steps button', { hasText: 'Confirm growth' }).click();
    const chart = page.getByRole('region', { name: 'Memory chart' });
    // the agent samples every 0.5 s: the history plus the stream give the chart several points
    await expect.poll(async () => Number(await chart.getByTestId('memory-chart').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(1);
    const hostEntry = chart.locator('.u-legend .u-series', { hasText: 'host used memory' });
    const hostValue = hostEntry.locator('.u-value');
    // off the plot the legend shows the latest sample (not a dash)
    await page.mouse.move(0, 0);
    await expect.poll(() => hostValue.textContent(), { timeout: 10_000 }).toMatch(/^[\d.]+ (KB|MB|GB|TB)$/);
    expect(await chart.locator('.u-legend .u-series').first().locator('.u-value').textContent()).toBe('latest');
    // hovering puts the legend on one sample: still a size
    const box = await chart.locator('.u-over').boundingBox();
    expect(box).not.toBeNull();
    if (box === null) return;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => chart.locator('.u-legend .u-series').first().locator('.u-value').textContent()).not.toBe('latest');
    expect(await hostValue.textContent()).toMatch(/^[\d.]+ (KB|MB|GB|TB)$/);
    expect(await chart.locator('.rates').textContent()).toContain('host used memory');
    expect(await chart.locator('.u-legend').textContent()).not.toContain('pid ');
  });

  it('shows growing Ruby processes on the host view with their growth rate per hour', async () => {
    await nav('Host');
    const growerRow = page.locator(`tr[data-pid="${growers[0].pid}"]`);
    await growerRow.waitFor({ timeout: 30_000 });
    await growerRow.getByRole('checkbox').check();
    // the rate needs a minute of samples (growth.ts MIN_FIT_SPAN_MS)
    await expect.poll(() => growerRow.getByTestId('growth').textContent(), { timeout: 120_000, interval: 2000 }).toMatch(/^\+[\d.]+ (MB|GB)\/h$/);
    expect(await page.locator('.u-legend').textContent()).toContain(`pid ${growers[0].pid}`);
    await growerRow.getByRole('button', { name: `dump commands for pid ${growers[0].pid}` }).click();
    const commands = page.getByRole('region', { name: 'Dump commands' });
    expect(await commands.locator('pre.command').first().textContent()).toBe(`kill -USR2 ${growers[0].pid}`);
    const fds = commands.getByTestId('fd-breakdown');
    await fds.waitFor({ timeout: 30_000 });
    // a Ruby process holds at least stdin, stdout and stderr
    expect(Number((await fds.locator('tbody td').first().textContent())?.replaceAll(',', ''))).toBeGreaterThanOrEqual(3);
  });

  it('flags several workers growing at once from live data and downloads the escalation bundle', async () => {
    await nav('Guided checklist');
    await page.locator('ol.steps button', { hasText: 'Escalate' }).click();
    const finding = page.getByTestId('escalation-finding').filter({ hasText: 'growing at once' });
    await finding.waitFor({ timeout: 60_000 });
    for (const grower of growers) expect(await finding.textContent()).toContain(`pid ${grower.pid}`);
    const downloads: string[] = [];
    const scratch = mkdtempSync(join(tmpdir(), 'leakpilot-bundle-'));
    page.on('download', (download) => {
      const target = join(scratch, download.suggestedFilename());
      downloads.push(target);
      void download.saveAs(target);
    });
    await page.getByRole('button', { name: 'Download escalation bundle' }).click();
    await expect.poll(() => downloads.filter((file) => existsSync(file)).length, { timeout: 30_000 }).toBe(2);
    const report = downloads.find((file) => file.endsWith('-report.md')) as string;
    expect(downloads.some((file) => file.endsWith('.leakpilot'))).toBe(true);
    await expect.poll(() => (existsSync(report) ? readFileSync(report, 'utf8') : '')).toContain('growing at once');
    expect(readFileSync(report, 'utf8')).toContain('- [x] Confirm growth: RSS of the worker grows about 600 MB/h');
  });

  it('marks a deploy on the chart and watches for the 30 flat minutes the checklist asks for', async () => {
    await nav('Host');
    await page.getByRole('button', { name: 'Mark deploy now' }).click();
    const verdict = page.locator('[data-verdict]').first();
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-verdict')).toBe('watching');
    expect(await verdict.textContent()).toMatch(/more until the 30 min the checklist asks for/);
    await page.reload();
    await page.locator('.frame[data-ready=true]').waitFor();
    await nav('Host');
    await page.getByText('deploy marked at').waitFor({ timeout: 30_000 });
  });

  it('explains an agent that cannot be reached in words a person can act on', async () => {
    const closedPort = await freeLoopbackPort();
    await nav('Hosts');
    await page.getByRole('button', { name: 'Add an agent' }).click();
    await page.getByTestId('host-url').fill(`http://127.0.0.1:${closedPort}`);
    await page.getByRole('button', { name: 'Test' }).click();
    const status = page.locator('.host-form [role=status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Cannot reach the agent|does not allow this page/);
    await page.locator('.host-form').getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a token-protected agent: a wrong token is named as such, the right one connects', async () => {
    const token = 'web-views-test-token-0123456789';
    const secured = await startAgent({
      dumpsDir: mkdtempSync(join(tmpdir(), 'leakpilot-secured-')),
      webDir: ensureWebBuilt(),
      extraArgs: ['--token', token, '--allow-origin', agent.origin],
    });
    try {
      await nav('Hosts');
      await page.getByRole('button', { name: 'Add an agent' }).click();
      const form = page.locator('.host-form');
      await form.getByLabel('Name').fill('secured agent');
      await form.getByTestId('host-url').fill(secured.origin);
      await form.getByLabel('Token').fill('not-the-token-at-all');
      await form.getByRole('button', { name: 'Test' }).click();
      await expect.poll(() => form.locator('[role=status]').textContent(), { timeout: 30_000 }).toContain('refused the token');
      await form.getByLabel('Token').fill(token);
      await form.getByRole('button', { name: 'Test' }).click();
      await expect.poll(() => form.locator('[role=status]').textContent(), { timeout: 30_000 }).toContain('connected to');
      await form.getByRole('button', { name: 'Save' }).click();
      const row = page.getByRole('row').filter({ hasText: 'secured agent' });
      await row.getByRole('button', { name: 'Connect' }).click();
      await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 }).toContain('secured agent: connected');
    } finally {
      await secured.stop();
      rmSync(secured.dumpsDir, { recursive: true, force: true });
    }
  });
});
