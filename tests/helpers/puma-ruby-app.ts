/**
 * What the end-to-end test knows about tests/ruby-app: where it is, the leak
 * sites (found through the `# leak:<id>` markers in app.rb, never hard-coded
 * line numbers), how many objects each request leaves at each site, and the
 * traffic plan whose counts are exact for the dumped worker.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const RUBY_APP_DIR = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'ruby-app'));
export const RUBY_APP_FILE = join(RUBY_APP_DIR, 'app.rb');
export const RUBY_INTEGRATION_DIR = realpathSync(join(RUBY_APP_DIR, '..', '..', 'integrations', 'ruby'));

export type Endpoint = 'events' | 'cache' | 'socket' | 'health';

export interface LeakSite {
  /** marker id in app.rb, e.g. `a-event` */
  id: string;
  endpoint: Endpoint;
  /** Ruby type as the dump writes it */
  type: 'OBJECT' | 'STRING' | 'HASH' | 'FILE';
  /** class name the dump resolves */
  className: string;
  /** objects left alive per request at this site (0 for the non-leaking endpoint) */
  perRequest: number;
  /** 1-based line in app.rb, read from the marker */
  line: number;
}

const PLANNED_SITES: Omit<LeakSite, 'line'>[] = [
  { id: 'a-event', endpoint: 'events', type: 'OBJECT', className: 'Event', perRequest: 1 },
  { id: 'a-name', endpoint: 'events', type: 'STRING', className: 'String', perRequest: 1 },
  { id: 'a-payload', endpoint: 'events', type: 'HASH', className: 'Hash', perRequest: 1 },
  { id: 'b-key', endpoint: 'cache', type: 'STRING', className: 'String', perRequest: 1 },
  { id: 'b-body', endpoint: 'cache', type: 'STRING', className: 'String', perRequest: 1 },
  { id: 'c-socket', endpoint: 'socket', type: 'FILE', className: 'UDPSocket', perRequest: 1 },
  { id: 'health', endpoint: 'health', type: 'STRING', className: 'String', perRequest: 0 },
];

/** The sites with their line numbers, from the `# leak:<id>` / `# no-leak:<id>` markers. */
export function leakSites(): LeakSite[] {
  const lineById = new Map<string, number>();
  readFileSync(RUBY_APP_FILE, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const marker = /# (?:no-)?leak:([\w-]+)\s*$/.exec(text);
      if (marker) lineById.set(marker[1] as string, index + 1);
    });
  return PLANNED_SITES.map((site) => {
    const line = lineById.get(site.id);
    if (line === undefined) throw new Error(`no "# leak:${site.id}" marker in ${RUBY_APP_FILE}`);
    return { ...site, line };
  });
}

/** The three planted leaks: which endpoint plants them and what holds them in the heap. */
export const PLANTED_LEAKS: { id: string; endpoint: Endpoint; what: string; holderParent: string }[] = [
  { id: 'a', endpoint: 'events', what: 'class-level array of Event objects (EventLog @events)', holderParent: 'EventLog' },
  { id: 'b', endpoint: 'cache', what: 'cache Hash that only grows (ReportCache::STORE)', holderParent: 'ReportCache' },
  { id: 'c', endpoint: 'socket', what: 'one UDPSocket per request in the global $leaked_sockets', holderParent: 'global_tbl' },
];

/** Requests the dumped worker serves per endpoint, in each phase; a dump follows each phase. */
export const TRAFFIC_PLAN: { phase: string; served: Record<Endpoint, number> }[] = [
  { phase: 'warmup', served: { events: 5, cache: 5, socket: 5, health: 10 } },
  { phase: 'phase2', served: { events: 120, cache: 60, socket: 30, health: 60 } },
  { phase: 'phase3', served: { events: 40, cache: 20, socket: 10, health: 40 } },
];

/** Objects allocated between dump 1 and dump 2 and still alive in dump 3, per site. */
export function expectedNewInDump2RetainedInDump3(site: LeakSite): number {
  const phase2 = TRAFFIC_PLAN[1];
  if (phase2 === undefined) throw new Error('traffic plan has no phase 2');
  return site.perRequest * phase2.served[site.endpoint];
}
