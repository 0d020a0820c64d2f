/**
 * Which view is on screen. Mirrored into `location.hash` (`#/analysis/suspects`)
 * so reloads and the back button keep the place; unknown hashes fall back to
 * the sessions view.
 */

export const VIEW_IDS = ['sessions', 'hosts', 'host', 'dumps', 'analysis', 'guide'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const ANALYSIS_TABS = ['summary', 'compare', 'suspects', 'strings', 'objects', 'duplicates', 'inspector'] as const;
export type AnalysisTab = (typeof ANALYSIS_TABS)[number];

export const VIEW_TITLES: Record<ViewId, string> = {
  sessions: 'Sessions',
  hosts: 'Hosts',
  host: 'Host',
  dumps: 'Dumps',
  analysis: 'Analysis',
  guide: 'Guided checklist',
};

export const TAB_TITLES: Record<AnalysisTab, string> = {
  summary: 'Summary',
  compare: 'Compare',
  suspects: 'Leak suspects',
  strings: 'Large strings',
  objects: 'Large objects',
  duplicates: 'Duplicate strings',
  inspector: 'Inspector',
};

export function parseHash(hash: string): { view: ViewId; tab: AnalysisTab } {
  const [viewPart, tabPart] = hash.replace(/^#\/?/, '').split('/');
  const view = (VIEW_IDS as readonly string[]).includes(viewPart) ? (viewPart as ViewId) : 'sessions';
  const tab = (ANALYSIS_TABS as readonly string[]).includes(tabPart) ? (tabPart as AnalysisTab) : 'summary';
  return { view, tab };
}

export class Navigation {
  view = $state<ViewId>('sessions');
  tab = $state<AnalysisTab>('summary');

  constructor() {
    if (typeof location !== 'undefined') {
      const parsed = parseHash(location.hash);
      this.view = parsed.view;
      this.tab = parsed.tab;
      addEventListener('hashchange', () => {
        const next = parseHash(location.hash);
        this.view = next.view;
        this.tab = next.tab;
      });
    }
  }

  go(view: ViewId, tab?: AnalysisTab): void {
    this.view = view;
    if (tab) this.tab = tab;
    const hash = view === 'analysis' ? `#/analysis/${this.tab}` : `#/${view}`;
    if (typeof location !== 'undefined' && location.hash !== hash) history.replaceState(null, '', hash);
  }
}
