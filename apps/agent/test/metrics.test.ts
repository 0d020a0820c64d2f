/**
 * /metrics in the Prometheus text exposition format: every family has HELP
 * and TYPE lines before its samples, every sample line parses, label values
 * are escaped, and a real matched process appears with its RSS.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MetricsText } from '../src/routes/metrics.ts';
import { marker, spawnIdleNode, tempDir, testAgent, type Child } from './helpers.ts';

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/;

function checkExposition(text: string): Map<string, string[]> {
  const families = new Map<string, string[]>();
  let helped = '';
  let typed = '';
  for (const line of text.trimEnd().split('\n')) {
    const help = /^# HELP (\S+) .+$/.exec(line);
    const type = /^# TYPE (\S+) (gauge|counter)$/.exec(line);
    if (help !== null) {
      helped = help[1];
      families.set(helped, []);
    } else if (type !== null) {
      typed = type[1];
      expect(typed).toBe(helped);
    } else {
      const sample = SAMPLE_LINE.exec(line);
      expect(sample, line).not.toBeNull();
      expect(sample?.[1]).toBe(typed);
      families.get(typed)?.push(line);
    }
  }
  return families;
}

let child: Child;
afterAll(async () => {
  await child?.stop();
});

describe('/metrics', () => {
  it('serves valid Prometheus text with host memory and a real process RSS', async () => {
    const tag = marker('metrics');
    child = spawnIdleNode(tag);
    await child.ready;
    const agent = testAgent(['--match', tag, '--dumps', `${tempDir()}/heap_dump_signal_*.json`]);
    agent.deps.sampler.sampleOnce();
    const res = await agent.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = checkExposition(await res.text());
    expect(families.get('leakpilot_host_memory_total_bytes')?.[0]).toMatch(/^leakpilot_host_memory_total_bytes \d+$/);
    const rss = families.get('leakpilot_process_rss_bytes') ?? [];
    expect(rss).toHaveLength(1);
    expect(rss[0]).toContain(`pid="${child.pid}"`);
    expect(rss[0]).toContain('role="other"');
    expect(Number(rss[0].split(' ').at(-1))).toBeGreaterThan(10 * 1024 * 1024);
    expect(families.get('leakpilot_docker_up')).toEqual(['leakpilot_docker_up 0']);
    expect(families.get('leakpilot_heap_dump_files')).toEqual(['leakpilot_heap_dump_files 0']);
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    const m = new MetricsText();
    m.family('x_bytes', 'gauge', 'help', [[{ comm: 'a\\b"c\nd' }, 1]]);
    expect(m.toString()).toBe('# HELP x_bytes help\n# TYPE x_bytes gauge\nx_bytes{comm="a\\\\b\\"c\\nd"} 1\n');
    checkExposition(m.toString());
  });
});
