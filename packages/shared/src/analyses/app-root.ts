/**
 * Shorter allocation sites for people: the Rails app root is found from the
 * dump's own sites (the folder above `app/models`, `app/controllers`, ...
 * that most app-looking files share) and cut off, so a title says
 * `app/models/ahoy/event.rb:14`; gem files are shown from the gem's folder
 * (`puma-5.6.5/lib/puma/client.rb:262`). Full paths stay in every data row:
 * rows are matched across dumps by them.
 */
import type { HeapDump } from '../store/heap-dump.ts';

const APP_DIR = /^(.*)\/app\/(models|controllers|services|jobs|helpers|mailers|channels|views|workers|lib)\//;

/** The most common app root among the dump's allocation files, or null. */
export function detectAppRoot(dump: HeapDump): string | null {
  const votes = new Map<string, number>();
  const { fileIndex, strings, count } = dump.sites;
  for (let site = 1; site < count; site++) {
    const match = APP_DIR.exec(strings[fileIndex[site]]);
    if (match && !match[1].includes('/gems/')) votes.set(match[1], (votes.get(match[1]) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [root, count] of votes) if (best === null || count > (votes.get(best) ?? 0)) best = root;
  return best;
}

export function shortLocation(location: string, appRoot: string | null): string {
  if (appRoot !== null && location.startsWith(`${appRoot}/`)) return location.slice(appRoot.length + 1);
  const gems = location.lastIndexOf('/gems/');
  return gems >= 0 ? location.slice(gems + '/gems/'.length) : location;
}
