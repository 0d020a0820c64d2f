/**
 * The agents a person added (URL and token, stored in IndexedDB) and the one
 * connected now. Connecting tests the URL and token and keeps the
 * AgentClient and the HostMonitor of the active host; failures are the
 * agent client's sentences (unreachable, wrong token, CORS not allowed).
 *
 * When the page is served by an agent (same origin answers /api/v1/host),
 * that agent is added once as "This machine" and connected on start; in
 * development the agent on the default port is tried instead.
 */
import { AGENT_DEFAULT_HOST, AGENT_DEFAULT_PORT, AGENT_ROUTES } from '@leakpilot/shared/api/agent-api.ts';
import { AgentClient, AgentError } from '../agent-client/index.ts';
import { newId, type HostRecord, type LeakPilotStorage } from '../storage/index.ts';
import { HostMonitor } from './host-monitor.svelte.ts';

export type ConnectionStatus =
  | { kind: 'idle'; text: string }
  | { kind: 'connecting'; text: string }
  | { kind: 'connected'; text: string }
  | { kind: 'error'; text: string };

export interface HostDraft {
  name: string;
  url: string;
  token: string;
}

export class HostsState {
  list = $state.raw<HostRecord[]>([]);
  activeId = $state<string | null>(null);
  activeStatus = $state<ConnectionStatus>({ kind: 'idle', text: 'not connected' });
  /** the last test of a host in the edit form, by host id */
  testResults = $state.raw<Record<string, ConnectionStatus>>({});
  client = $state.raw<AgentClient | null>(null);
  monitor = $state.raw<HostMonitor | null>(null);

  #storage: LeakPilotStorage | null = null;

  readonly active = $derived(this.list.find((host) => host.id === this.activeId) ?? null);

  attach(storage: LeakPilotStorage): void {
    this.#storage = storage;
  }

  get #store(): LeakPilotStorage {
    if (!this.#storage) throw new Error('storage is not open yet');
    return this.#storage;
  }

  async refresh(): Promise<void> {
    this.list = await this.#store.listHosts();
  }

  /** Adds the serving agent as "This machine" if the page's own origin is an agent. */
  async ensureSameOriginHost(): Promise<HostRecord | null> {
    const origin = location.origin;
    try {
      const response = await fetch(`${origin}${AGENT_ROUTES.host}`, { signal: AbortSignal.timeout(5000) });
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return null;
    } catch {
      return null;
    }
    const existing = this.list.find((host) => host.sameOrigin || host.url === origin);
    if (existing) return existing;
    const now = Date.now();
    const host = await this.#store.putHost({
      id: newId(),
      name: 'This machine',
      url: origin,
      token: null,
      addedAtMs: now,
      updatedAtMs: now,
      sameOrigin: true,
    });
    await this.#store.putSetting('local-host-id', host.id);
    await this.refresh();
    return host;
  }

  /**
   * In development (`npx vite apps/web`, another origin) with no agent added
   * yet: adds the local agent on its default port if it answers and allows
   * this origin (CORS), so the dev page is connected like the served one.
   */
  async ensureDefaultLocalHost(): Promise<HostRecord | null> {
    if (this.list.length > 0) return null;
    const url = `http://${AGENT_DEFAULT_HOST}:${AGENT_DEFAULT_PORT}`;
    if (url === location.origin) return null;
    const status = await probe(new AgentClient({ baseUrl: url, token: null }));
    if (status.kind !== 'connected') return null;
    return this.save(null, { name: `This machine (port ${AGENT_DEFAULT_PORT})`, url, token: '' });
  }

  async save(id: string | null, draft: HostDraft): Promise<HostRecord> {
    const now = Date.now();
    const previous = id ? this.list.find((host) => host.id === id) : undefined;
    const host = await this.#store.putHost({
      id: previous?.id ?? newId(),
      name: draft.name.trim() || draft.url.trim(),
      url: draft.url.trim().replace(/\/+$/, ''),
      token: draft.token.trim() || null,
      addedAtMs: previous?.addedAtMs ?? now,
      updatedAtMs: now,
      sameOrigin: previous?.sameOrigin ?? false,
    });
    await this.refresh();
    if (this.activeId === host.id) await this.connect(host.id);
    return host;
  }

  async remove(id: string): Promise<void> {
    if (this.activeId === id) this.disconnect();
    await this.#store.deleteHost(id);
    await this.refresh();
  }

  /** Tests a draft without saving it. */
  async test(key: string, draft: HostDraft): Promise<ConnectionStatus> {
    this.testResults = { ...this.testResults, [key]: { kind: 'connecting', text: 'testing…' } };
    const status = await probe(new AgentClient({ baseUrl: draft.url, token: draft.token.trim() || null }));
    this.testResults = { ...this.testResults, [key]: status };
    return status;
  }

  async connect(id: string): Promise<boolean> {
    const host = this.list.find((candidate) => candidate.id === id);
    if (!host) return false;
    this.disconnect();
    this.activeId = id;
    this.activeStatus = { kind: 'connecting', text: 'connecting…' };
    const client = new AgentClient({ baseUrl: host.url, token: host.token });
    const status = await probe(client);
    if (this.activeId !== id) return false;
    this.activeStatus = status;
    if (status.kind !== 'connected') return false;
    this.client = client;
    const monitor = new HostMonitor(client);
    this.monitor = monitor;
    void monitor.start();
    return true;
  }

  disconnect(): void {
    this.monitor?.stop();
    this.monitor = null;
    this.client = null;
    this.activeId = null;
    this.activeStatus = { kind: 'idle', text: 'not connected' };
  }
}

async function probe(client: AgentClient): Promise<ConnectionStatus> {
  try {
    const host = await client.testConnection(AbortSignal.timeout(10_000));
    return { kind: 'connected', text: `connected to ${host.hostname} (agent ${host.agentVersion})` };
  } catch (error) {
    return { kind: 'error', text: error instanceof AgentError ? error.message : (error as Error).message };
  }
}
