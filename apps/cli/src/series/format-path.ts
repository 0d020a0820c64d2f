/**
 * Retainer paths for terminals: one line (`ROOT vm → Object (CLASS) →
 * [constant…] Hash → [value at "k"] String`) for reports, or one hop per line
 * with addresses for `leakpilot path`.
 */
import type { PathHop } from '@leakpilot/shared/graph/retainer-path.ts';

function hopName(hop: PathHop): string {
  if (hop.rootCategory !== null) return `ROOT ${hop.rootCategory}`;
  return hop.type === 'OBJECT' || hop.type === 'CLASS' || hop.type === 'MODULE' ? `${hop.className} (${hop.type})` : `${hop.className || hop.type} (${hop.type})`;
}

export function formatPathLine(hops: PathHop[]): string {
  if (hops.length === 0) return '(no path from a ROOT line)';
  const parts = [hopName(hops[0])];
  for (let i = 1; i < hops.length; i++) parts.push(`-[${hops[i - 1].holds}]-> ${hopName(hops[i])}`);
  return parts.join(' ');
}

export function formatPathLines(hops: PathHop[]): string[] {
  return hops.map((hop, i) => {
    const indent = '  '.repeat(Math.min(i, 12));
    const where = hop.address ? ` ${hop.address}` : '';
    const how = hop.holds === '' ? '' : `\n${indent}  │ ${hop.holds}`;
    return `${indent}${hopName(hop)}${where}${how}`;
  });
}
