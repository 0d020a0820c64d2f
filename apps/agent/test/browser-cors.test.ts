/**
 * CORS in a real Chromium (Debian's, driven by playwright-core): a page on an
 * allowed origin reads the agent with its bearer token (which makes Chromium
 * send a CORS preflight first) and can read the exposed Content-Range of a
 * ranged dump download; a page on any other origin cannot read anything.
 * The pages come from small loopback servers on their own ports, so they are
 * other origins than the agent's. Chromium is launched by the e2e tests'
 * helper (tests/helpers/chromium.ts), the one place that knows its flags.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DumpsResponse } from '@leakpilot/shared/api/agent-api.ts';
import { parseAgentArgs } from '../src/config.ts';
import { startAgent, type RunningAgent } from '../src/server.ts';
import { openProfile, type BrowserProfile } from '../../../tests/helpers/chromium.ts';
import { NO_DOCKER, tempDir } from './helpers.ts';

const TOKEN = 'browser-test-token-0123456789';

function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>page</title>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, origin: `http://localhost:${typeof address === 'object' && address !== null ? address.port : 0}` });
    }),
  );
}

let agent: RunningAgent;
let allowed: { server: Server; origin: string };
let other: { server: Server; origin: string };
let profile: BrowserProfile;

beforeAll(async () => {
  allowed = await pageServer();
  other = await pageServer();
  const dumps = tempDir();
  writeFileSync(join(dumps, 'heap_dump_signal_9_1795949000.json'), '0123456789');
  agent = await startAgent(
    parseAgentArgs(['--port', '0', '--token', TOKEN, '--allow-origin', allowed.origin, '--dumps', `${dumps}/heap_dump_signal_*.json`, ...NO_DOCKER], {}),
  );
  profile = await openProfile();
});

afterAll(async () => {
  await profile?.close();
  await agent?.close();
  allowed?.server.close();
  other?.server.close();
});

async function readFrom(origin: string, script: string): Promise<unknown> {
  const page = await profile.context.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(script);
  } finally {
    await page.close();
  }
}

describe('CORS in Chromium', () => {
  it('lets an allowed origin read the API with its token and see Content-Range', async () => {
    const listing = await fetch(`${agent.url}/api/v1/dumps`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const dumpUrl = `${agent.url}/api/v1/dumps/${((await listing.json()) as DumpsResponse).dumps[0].id}`;
    const result = await readFrom(
      allowed.origin,
      `(async () => {
        const auth = { Authorization: 'Bearer ${TOKEN}' };
        const host = await fetch('${agent.url}/api/v1/host', { headers: auth });
        const part = await fetch('${dumpUrl}', { headers: { ...auth, Range: 'bytes=2-4' } });
        return { hostStatus: host.status, apiVersion: (await host.json()).apiVersion,
                 partStatus: part.status, contentRange: part.headers.get('content-range'), text: await part.text() };
      })()`,
    );
    expect(result).toEqual({ hostStatus: 200, apiVersion: 1, partStatus: 206, contentRange: 'bytes 2-4/10', text: '234' });
  });

  it('gives any other origin nothing to read', async () => {
    const result = await readFrom(
      other.origin,
      `(async () => {
        try {
          const res = await fetch('${agent.url}/api/v1/host', { headers: { Authorization: 'Bearer ${TOKEN}' } });
          return 'read ' + res.status;
        } catch (error) {
          return 'blocked: ' + error.name;
        }
      })()`,
    );
    expect(result).toBe('blocked: TypeError');
  });
});
