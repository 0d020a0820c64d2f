/**
 * The PWA end to end, in Debian's Chromium against the real agent serving the
 * built app (same origin, so the local machine is connected at once) with the
 * real rails-series-a dumps: first run opens the demo; a new session
 * downloads three dumps, compares them and shows the known leaks as the top
 * suspects with the ground truth's exact counts; the inspector reaches a ROOT;
 * the session opens offline after a reload; an exported session imports into
 * a fresh browser profile, and a damaged file is refused without changes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layOutRailsSeries, startAgent, type RunningAgent } from './helpers/agent-process.ts';
import { openProfile, type BrowserProfile } from './helpers/chromium.ts';
import { REPO_ROOT, ensureWebBuilt } from './helpers/web-build.ts';

interface GroundTruth {
  leaks: { id: string; measured_new_in_dump2_retained_in_dump3: number }[];
  diff3_totals: { new_in_dump2_retained_in_dump3: number };
}
const truth = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/rails-series-a/ground_truth.json'), 'utf8')) as GroundTruth;
const cacheLeak = truth.leaks.find((leak) => leak.id === 'b')?.measured_new_in_dump2_retained_in_dump3 ?? NaN;
const eventLeak = truth.leaks.find((leak) => leak.id === 'a')?.measured_new_in_dump2_retained_in_dump3 ?? NaN;
const SESSION_NAME = 'rails series a';

let agent: RunningAgent;
let profile: BrowserProfile;
let page: Page;
const scratch = mkdtempSync(join(tmpdir(), 'leakpilot-web-flow-'));
let exportedPath = '';

function countText(count: number): string {
  return count.toLocaleString('en-US');
}

async function nav(view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

beforeAll(async () => {
  const webDir = ensureWebBuilt();
  agent = await startAgent({ dumpsDir: layOutRailsSeries(), webDir });
  profile = await openProfile();
  page = profile.context.pages()[0] ?? (await profile.context.newPage());
});

afterAll(async () => {
  await profile?.close();
  await agent?.stop();
  if (agent) rmSync(agent.dumpsDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('LeakPilot in Chromium', () => {
  it('opens the bundled demo session on first run and connects the serving agent', async () => {
    await page.goto(agent.origin);
    await expect.poll(() => page.locator('[data-testid=current-session]').textContent(), { timeout: 30_000 }).toContain('Demo');
    await page.locator('[data-testid=suspect]').first().waitFor();
    await expect.poll(() => page.locator('[data-testid=connection]').textContent(), { timeout: 30_000 }).toContain('connected to');
  });

  it('downloads three dumps from the agent, compares them and shows the known leaks on top with exact counts', async () => {
    await nav('Sessions');
    await page.getByTestId('new-session-name').fill(SESSION_NAME);
    await page.getByRole('button', { name: 'Start a session' }).click();
    await expect.poll(() => page.locator('[data-testid=current-session]').textContent()).toBe(SESSION_NAME);
    // starting a session opens the guided checklist a moment after its name shows: wait for it, so that
    // navigation cannot land after (and replace) the view opened next
    await page.getByRole('heading', { name: 'Guided checklist' }).waitFor();

    await nav('Dumps');
    const agentDumps = page.getByTestId('agent-dump');
    await expect.poll(() => agentDumps.count(), { timeout: 30_000 }).toBe(3);
    for (let index = 0; index < 3; index += 1) {
      await agentDumps.nth(index).getByRole('button', { name: /^download / }).click();
      await agentDumps.nth(index).getByTestId('downloaded').waitFor({ timeout: 60_000 });
    }
    const sessionDumps = page.getByTestId('session-dump');
    await expect.poll(() => sessionDumps.count()).toBe(3);
    for (let index = 0; index < 3; index += 1) await sessionDumps.nth(index).locator('input[type=checkbox]').check();
    await page.getByTestId('compare-button').click();

    const suspects = page.getByTestId('suspect');
    await suspects.first().waitFor({ timeout: 180_000 });
    await expect.poll(() => suspects.first().getByTestId('suspect-count').textContent()).toBe(countText(cacheLeak));
    expect(await suspects.first().getByTestId('suspect-title').textContent()).toContain('ReportCache');
    expect(await suspects.nth(1).getByTestId('suspect-count').textContent()).toBe(countText(eventLeak));
    expect(await suspects.nth(1).getByTestId('suspect-title').textContent()).toContain('Ahoy::Event');
    expect(await suspects.first().getByTestId('suspect-hint').textContent()).toMatch(/cache/i);

    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: /likely retained/ }).textContent())
      .toContain(countText(truth.diff3_totals.new_in_dump2_retained_in_dump3));
    expect(await page.getByTestId('identity').textContent()).toContain('address + type + generation');
  });

  it('opens the inspector on a retained object and shows its path from a ROOT', async () => {
    await page.getByRole('tab', { name: 'Leak suspects' }).click();
    await page.getByTestId('suspect').first().getByTestId('inspect-member').click();
    const inspection = page.getByTestId('inspection');
    await inspection.waitFor({ timeout: 60_000 });
    const path = inspection.getByTestId('retainer-path');
    expect(await path.locator('li').first().textContent()).toContain('ROOT');
    expect(await path.locator('li').count()).toBeGreaterThanOrEqual(3);
    expect(await inspection.textContent()).toContain('ReportCache');
    await page.getByRole('button', { name: 'Keep this inspection in the session' }).click();
    await page.getByText('Kept in this session').waitFor();
  });

  it('reloads offline and still opens the saved session with its results', async () => {
    // the service worker must control the page before the network goes away
    const registrations = await page.evaluate(async () => {
      const ready = navigator.serviceWorker.ready.then(() => 'ready');
      const late = new Promise<string>((resolve) => setTimeout(() => resolve('not ready after 20 s'), 20_000));
      const state = await Promise.race([ready, late]);
      const all = await navigator.serviceWorker.getRegistrations();
      return { state, registrations: all.map((one) => ({ scope: one.scope, active: one.active?.state ?? null, installing: one.installing?.state ?? null })) };
    });
    expect(registrations.state, JSON.stringify(registrations)).toBe('ready');
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    await profile.context.setOffline(true);
    try {
      await page.reload();
      await expect.poll(() => page.locator('[data-testid=current-session]').textContent(), { timeout: 30_000 }).toBe(SESSION_NAME);
      await nav('Analysis');
      await page.getByRole('tab', { name: 'Leak suspects' }).click();
      await expect.poll(() => page.getByTestId('suspect').first().getByTestId('suspect-count').textContent()).toBe(countText(cacheLeak));
    } finally {
      await profile.context.setOffline(false);
    }
  });

  it('exports the session to a .leakpilot file', async () => {
    await nav('Sessions');
    const row = page.getByTestId('session-row').filter({ hasText: SESSION_NAME });
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.leakpilot$/);
    exportedPath = join(scratch, download.suggestedFilename());
    await download.saveAs(exportedPath);
    const bytes = readFileSync(exportedPath);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
  });

  it('imports the exported session into a fresh browser profile and shows every result without the dumps', async () => {
    const fresh = await openProfile();
    try {
      const freshPage = fresh.context.pages()[0] ?? (await fresh.context.newPage());
      await freshPage.goto(agent.origin);
      await freshPage.locator('.frame[data-ready=true]').waitFor({ timeout: 30_000 });
      await freshPage.locator('nav.rail button', { hasText: 'Sessions' }).click();
      const rows = freshPage.getByTestId('session-row');
      const before = await rows.count();

      const damaged = join(scratch, 'damaged.leakpilot');
      writeFileSync(damaged, readFileSync(exportedPath).subarray(0, 200));
      await freshPage.getByTestId('import-input').setInputFiles(damaged);
      await freshPage.getByTestId('import-error').waitFor();
      expect(await freshPage.getByTestId('import-error').textContent()).toContain('Nothing was changed');
      expect(await rows.count()).toBe(before);

      await freshPage.getByTestId('import-input').setInputFiles(exportedPath);
      await expect.poll(() => freshPage.locator('[data-testid=current-session]').textContent(), { timeout: 30_000 }).toBe(SESSION_NAME);
      expect(await rows.count()).toBe(before + 1);
      await freshPage.locator('nav.rail button', { hasText: 'Analysis' }).click();
      await freshPage.getByRole('tab', { name: 'Leak suspects' }).click();
      await expect.poll(() => freshPage.getByTestId('suspect').first().getByTestId('suspect-count').textContent()).toBe(countText(cacheLeak));
      await freshPage.getByRole('tab', { name: 'Inspector' }).click();
      await freshPage.getByTestId('inspection').first().waitFor();
      expect(await freshPage.getByTestId('retainer-path').first().locator('li').first().textContent()).toContain('ROOT');
    } finally {
      await fresh.close();
    }
  });

  it('deletes the session with the dump copies it kept in the browser', async () => {
    const opfsDumpCount = (): Promise<number> =>
      page.evaluate(async () => {
        const root = await navigator.storage.getDirectory();
        let count = 0;
        try {
          const folder = await root.getDirectoryHandle('dumps');
          for await (const _entry of (folder as unknown as { values(): AsyncIterable<unknown> }).values()) count += 1;
        } catch {
          return 0;
        }
        return count;
      });
    expect(await opfsDumpCount()).toBe(3);
    await nav('Sessions');
    const row = page.getByTestId('session-row').filter({ hasText: SESSION_NAME });
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Really delete' }).click();
    await expect.poll(() => page.getByTestId('session-row').filter({ hasText: SESSION_NAME }).count()).toBe(0);
    await expect.poll(opfsDumpCount).toBe(0);
  });
});
