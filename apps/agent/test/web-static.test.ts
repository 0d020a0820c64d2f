/**
 * `--web DIR`: the built PWA served from the agent's origin, with the SPA
 * fallback, the right MIME types and service-worker headers, and no way out
 * of DIR.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, testAgent, type TestAgent } from './helpers.ts';

let agent: TestAgent;

beforeAll(() => {
  const web = tempDir();
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>LeakPilot</title>');
  writeFileSync(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(web, 'manifest.webmanifest'), '{"name":"LeakPilot"}');
  writeFileSync(join(web, 'demo.leakpilot'), 'session');
  writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
  const secret = join(tempDir(), 'secret.txt');
  writeFileSync(secret, 'outside');
  symlinkSync(secret, join(web, 'escape.txt'));
  agent = testAgent(['--web', web]);
});

describe('the web app from --web', () => {
  it('serves index.html at / and for client-side routes', async () => {
    for (const path of ['/', '/sessions/42', '/diff']) {
      const res = await agent.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('<title>LeakPilot</title>');
    }
  });

  it('serves the service worker and the manifest with their MIME types and no-cache', async () => {
    const sw = await agent.app.request('/sw.js');
    expect(sw.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(sw.headers.get('service-worker-allowed')).toBe('/');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const manifest = await agent.app.request('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
    expect((await agent.app.request('/demo.leakpilot')).headers.get('content-type')).toBe('application/x-leakpilot-session');
    const asset = await agent.app.request('/assets/index-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 for a missing asset and for API paths, never index.html', async () => {
    expect((await agent.app.request('/assets/missing.js')).status).toBe(404);
    expect((await agent.app.request('/api/v1/nope')).status).toBe(404);
  });

  it('never serves a file outside the folder', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/escape.txt', '/%00index.html']) {
      const res = await agent.app.request(path);
      expect(res.status, path).not.toBe(500);
      const text = await res.text();
      expect(text).not.toContain('root:');
      expect(text).not.toContain('outside');
    }
  });
});
