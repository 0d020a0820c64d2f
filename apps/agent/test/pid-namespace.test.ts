/**
 * The pid a process has inside its own PID namespace (the last NSpid value),
 * read from real /proc: a child started in a new PID namespace with util-linux
 * `unshare --pid --fork --mount-proc` (needs root, which the test machine has;
 * a container runtime does the same for a containerized Puma worker).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessDetailResponse, ProcessesResponse } from '@leakpilot/shared/api/agent-api.ts';
import { parseNamespacePid } from '../src/sources/proc/parse-proc.ts';
import { getJson, marker, spawnChild, testAgent, type Child } from './helpers.ts';

const children: Child[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => child.stop()));
});

describe('pid inside the process namespace', () => {
  it('equals the host pid for a process in the host PID namespace', () => {
    expect(parseNamespacePid(readFileSync('/proc/self/status', 'latin1'))).toBe(process.pid);
  });

  it('is the last NSpid value, and null without an NSpid line (kernels before 4.1)', () => {
    expect(parseNamespacePid('Name:\tpuma\nNSpid:\t48211\t7\nNSpgid:\t48211\t7\n')).toBe(7);
    expect(parseNamespacePid('Name:\tpuma\nPid:\t48211\n')).toBeNull();
  });

  it('reports a child of unshare --pid by its small pid in the new namespace beside its host pid', async () => {
    const tag = marker('pidns');
    // --kill-child: when the test stops unshare, the namespace's init (sh, which
    // ignores SIGTERM from outside as every namespace init does) is killed too.
    const child = spawnChild('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', 'echo ready; sleep 600; :', tag]);
    children.push(child);
    await child.ready;
    const agent = testAgent(['--match', tag]);
    const { status, body } = await getJson<ProcessesResponse>(agent, `/api/v1/processes?match=${encodeURIComponent(tag)}`);
    expect(status).toBe(200);
    const outer = body.processes.find((row) => row.pid === child.pid);
    const inner = body.processes.find((row) => row.ppid === child.pid);
    expect(outer?.pidInNamespace).toBe(child.pid);
    expect(inner).toBeDefined();
    if (inner === undefined) return;
    expect(inner.comm).toBe('sh');
    expect([1, 2]).toContain(inner.pidInNamespace);
    expect(inner.pid).not.toBe(inner.pidInNamespace);
    const detail = await getJson<ProcessDetailResponse>(agent, `/api/v1/processes/${inner.pid}`);
    expect(detail.body.process.pidInNamespace).toBe(inner.pidInNamespace);
  });
});
