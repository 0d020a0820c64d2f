/**
 * The root of the app's state: navigation, storage, sessions, hosts, dumps
 * and analysis, created once by App.svelte. `start()` opens IndexedDB,
 * connects the serving agent when the page is served by one, reopens the
 * last session, and on the very first run opens the bundled demo session so
 * a newcomer sees a finished analysis at once.
 */
import { decodeSessionFile } from '@leakpilot/shared/session/index.ts';
import { LeakPilotStorage } from '../storage/index.ts';
import { AnalysisState } from './analysis.svelte.ts';
import { DumpsState } from './dumps.svelte.ts';
import { HostsState } from './hosts.svelte.ts';
import { Navigation } from './navigation.svelte.ts';
import { SessionsState } from './sessions.svelte.ts';

export const DEMO_SESSION_URL = '/demo.leakpilot';

/** The File Handling API's launch queue (Chromium), not in TypeScript's DOM lib. */
interface LaunchQueue {
  setConsumer(consumer: (params: { files?: readonly FileSystemFileHandle[] }) => void | Promise<void>): void;
}

export class AppState {
  readonly nav = new Navigation();
  readonly sessions = new SessionsState();
  readonly hosts = new HostsState();
  readonly dumps: DumpsState;
  readonly analysis: AnalysisState;
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  ready = $state(false);
  startError = $state<string | null>(null);
  /** set when the demo was opened automatically on the first run */
  demoOpenedOnFirstRun = $state(false);

  constructor() {
    this.analysis = new AnalysisState(this.sessions);
    this.dumps = new DumpsState(this.sessions, this.hosts, this.analysis);
    if (typeof window !== 'undefined') {
      addEventListener('online', () => (this.online = true));
      addEventListener('offline', () => (this.online = false));
    }
  }

  async start(): Promise<void> {
    try {
      const storage = await LeakPilotStorage.open();
      this.sessions.attach(storage);
      this.hosts.attach(storage);
      await Promise.all([this.sessions.refreshList(), this.hosts.refresh()]);
      const activeId = await storage.getSetting('active-session-id');
      if (typeof activeId === 'string' && this.sessions.list.some((entry) => entry.id === activeId)) {
        await this.sessions.open(activeId);
      } else if (this.sessions.list.length === 0 && !(await storage.getSetting('demo-offered'))) {
        await storage.putSetting('demo-offered', true);
        this.demoOpenedOnFirstRun = await this.openDemo();
        if (this.demoOpenedOnFirstRun) this.nav.go('analysis', 'suspects');
      }
      this.ready = true;
      this.#consumeLaunchedFiles();
      const local = (await this.hosts.ensureSameOriginHost()) ?? (await this.hosts.ensureDefaultLocalHost());
      if (local) await this.hosts.connect(local.id);
    } catch (error) {
      this.startError = `LeakPilot could not open its storage in this browser: ${(error as Error).message}`;
      this.ready = true;
    }
  }

  /**
   * The installed app opens `.leakpilot` files from the desktop (manifest
   * `file_handlers`): Chromium hands them over through `launchQueue`.
   */
  #consumeLaunchedFiles(): void {
    const launchQueue = (globalThis as { launchQueue?: LaunchQueue }).launchQueue;
    launchQueue?.setConsumer(async (params) => {
      for (const handle of params.files ?? []) {
        const file = await handle.getFile();
        if (await this.sessions.importFile(file, file.name)) this.nav.go('analysis');
        else this.nav.go('sessions');
      }
    });
  }

  /** Imports the bundled demo session (made from a real Ruby 3.3 dump series) and opens it. */
  async openDemo(): Promise<boolean> {
    try {
      const response = await fetch(DEMO_SESSION_URL);
      if (!response.ok) return false;
      const decoded = await decodeSessionFile(await response.blob());
      const stored = await this.sessions.storage.importSession(decoded.session);
      await this.sessions.open(stored.id);
      await this.sessions.refreshList();
      return true;
    } catch {
      return false;
    }
  }
}
