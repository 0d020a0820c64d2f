/**
 * The /proc parsers on the real files of this test process, and on the
 * cgroup lines that Docker (cgroup v1 and v2, systemd driver), containerd
 * (Kubernetes) and Podman write.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseBootTimeSeconds,
  parseCmdline,
  parseContainerId,
  parseMeminfo,
  parseSmapsRollup,
  parseStartTicks,
  parseStatus,
} from '../src/sources/proc/parse-proc.ts';
import { readProcText } from '../src/sources/proc/read-proc.ts';
import { guessRole, pumaMastersOf } from '../src/sources/proc/roles.ts';
import { spawnChild, waitFor } from './helpers.ts';

const ID = 'f2a4b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5';

describe('parsers on this process', () => {
  it('reads VmRSS, threads and parent from /proc/self/status in bytes', () => {
    const status = parseStatus(readFileSync('/proc/self/status', 'latin1'));
    expect(status.ppid).toBe(process.ppid);
    expect(status.rssBytes % 1024).toBe(0);
    expect(status.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(status.peakRssBytes).toBeGreaterThanOrEqual(status.rssBytes);
    expect(status.threads).toBeGreaterThan(1);
    expect(status.uid).toBe(process.getuid?.());
  });

  it('reads a start time from /proc/self/stat that lies between boot and now', () => {
    const bootSeconds = parseBootTimeSeconds(readFileSync('/proc/stat', 'latin1'));
    const startedAtMs = bootSeconds * 1000 + parseStartTicks(readFileSync('/proc/self/stat', 'latin1')) * 10;
    expect(startedAtMs).toBeLessThanOrEqual(Date.now() + 1000);
    expect(startedAtMs).toBeGreaterThan(Date.now() - process.uptime() * 1000 - 5000);
  });

  it('counts fields from the last parenthesis when the command name holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    expect(parseStartTicks(`42 (a) b (c)) ${fields.join(' ')}`)).toBe(22);
  });

  it('reads PSS, private and shared bytes from smaps_rollup', () => {
    const rollup = parseSmapsRollup(readFileSync('/proc/self/smaps_rollup', 'latin1'));
    expect(rollup?.pssBytes).toBeGreaterThan(0);
    expect((rollup?.privateBytes ?? 0) + (rollup?.sharedBytes ?? 0)).toBeGreaterThan(0);
    expect(parseSmapsRollup('')).toBeNull();
  });

  it('derives used memory as total minus available, like free', () => {
    const memory = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nBuffers: 10 kB\nCached: 300 kB\nSReclaimable: 20 kB\nSwapTotal: 50 kB\nSwapFree: 20 kB\n');
    expect(memory).toEqual({
      totalBytes: 1024000,
      availableBytes: 614400,
      freeBytes: 102400,
      usedBytes: 409600,
      buffersBytes: 10240,
      cachedBytes: 327680,
      swapTotalBytes: 51200,
      swapFreeBytes: 20480,
      swapUsedBytes: 30720,
    });
  });

  it('joins NUL-separated arguments of cmdline', () => {
    expect(parseCmdline('ruby\0-e\0puts 1\0')).toBe('ruby -e puts 1');
    expect(parseCmdline('puma: cluster worker 0: 42 [app]')).toBe('puma: cluster worker 0: 42 [app]');
  });
});

describe('readProcText', () => {
  it('reads single_open files in one read and multi-record files past their short reads, as readFileSync does', async () => {
    const sleeper = spawnChild('sleep', ['30']);
    try {
      await waitFor('sleep to be asleep', () => (/^State:\tS/m.test(readFileSync(`/proc/${sleeper.pid}/status`, 'latin1')) ? true : null));
      for (const name of ['status', 'stat', 'smaps_rollup']) {
        const path = `/proc/${sleeper.pid}/${name}`;
        expect(readProcText(path, true), name).toBe(readFileSync(path, 'latin1'));
      }
      // smaps is a multi-record seq file of several pages: its reads come back a page at a time.
      const smaps = readFileSync(`/proc/${sleeper.pid}/smaps`, 'latin1');
      expect(smaps.length).toBeGreaterThan(3 * 4096);
      expect(readProcText(`/proc/${sleeper.pid}/smaps`)).toBe(smaps);
      expect(readProcText(`/proc/${sleeper.pid}/smaps`, true)?.length).toBeLessThan(smaps.length);
      expect(readProcText('/proc/self/mountinfo')).toBe(readFileSync('/proc/self/mountinfo', 'latin1'));
    } finally {
      await sleeper.stop();
    }
  });
});

describe('parseContainerId', () => {
  it.each([
    ['Docker, cgroup v1', `12:memory:/docker/${ID}\n11:cpu:/docker/${ID}\n`],
    ['Docker, cgroup v2 with systemd', `0::/system.slice/docker-${ID}.scope\n`],
    ['containerd under Kubernetes', `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-${ID}.scope\n`],
    ['Podman', `0::/machine.slice/libpod-${ID}.scope/container\n`],
  ])('finds the id in %s', (_label, text) => {
    expect(parseContainerId(text)).toBe(ID);
  });

  it('is null on the host', () => {
    expect(parseContainerId('0::/user.slice/user-1000.slice/session-2.scope\n')).toBeNull();
    expect(parseContainerId('0::/\n')).toBeNull();
  });
});

describe('guessRole', () => {
  const rows = [
    { pid: 10, ppid: 1, cmdline: 'puma 6.4.2 (tcp://0.0.0.0:3000) [shop]' },
    { pid: 11, ppid: 10, cmdline: 'puma: cluster worker 0: 10 [shop]' },
    { pid: 12, ppid: 10, cmdline: 'puma: cluster worker 1: 10 [shop]' },
    { pid: 20, ppid: 1, cmdline: 'puma 6.4.2 (tcp://0.0.0.0:4000) [admin]' },
    { pid: 30, ppid: 1, cmdline: 'sidekiq 7.2.0 shop [0 of 10 busy]' },
    { pid: 40, ppid: 1, cmdline: 'unicorn master -c config/unicorn.rb' },
    { pid: 41, ppid: 40, cmdline: 'unicorn worker[3] -c config/unicorn.rb' },
    { pid: 50, ppid: 1, cmdline: '/usr/bin/ruby3.1 script.rb' },
    { pid: 60, ppid: 1, cmdline: 'node server.js' },
  ];
  const masters = pumaMastersOf(rows);

  it('tells Puma masters, workers and single mode apart', () => {
    expect(rows.map((r) => guessRole(r, masters))).toEqual([
      { kind: 'puma-master' },
      { kind: 'puma-worker', workerIndex: 0 },
      { kind: 'puma-worker', workerIndex: 1 },
      { kind: 'puma-single' },
      { kind: 'sidekiq' },
      { kind: 'unicorn-master' },
      { kind: 'unicorn-worker', workerIndex: 3 },
      { kind: 'ruby' },
      { kind: 'other' },
    ]);
  });
});
