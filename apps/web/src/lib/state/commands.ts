/**
 * The checklist's copy-and-paste commands for the steps the read-only agent
 * does not do, filled in for the chosen process: trigger a heap dump, copy it
 * off the host, and the watch commands. Pure; quoting is POSIX shell quoting
 * so a pasted command does what it says even with odd container names.
 */

import type { ContainerSummary, ProcessSummary } from '@leakpilot/shared/api/agent-api.ts';

export interface CommandTarget {
  pid: number;
  /** container id or name when the process runs in one; the pid is then the pid inside it */
  container?: string | null;
  /** pid as seen inside the container, when known (Docker: usually differs from the host pid) */
  pidInContainer?: number | null;
  /** where the dumps are written, for the copy step */
  dumpGlob?: string;
}

export interface ChecklistCommand {
  /** what the command does, for a person */
  label: string;
  command: string;
}

export const DEFAULT_DUMP_GLOB = '/tmp/heap_dump_signal_*.json*';

/** POSIX single-quote quoting when needed. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

export function dumpCommandsFor(target: CommandTarget): ChecklistCommand[] {
  const glob = target.dumpGlob ?? DEFAULT_DUMP_GLOB;
  if (target.container) {
    const container = shellQuote(target.container);
    const short = target.container.slice(0, 12);
    const inner: ChecklistCommand[] =
      target.pidInContainer !== null && target.pidInContainer !== undefined
        ? [{ label: 'Or from inside the container', command: `docker exec ${container} kill -USR2 ${target.pidInContainer}` }]
        : [
            { label: `Or from inside the container: find the worker's pid there (it differs from the host pid ${target.pid})`, command: `docker exec ${container} ps ax -o pid,args` },
            { label: 'then signal that pid inside the container', command: `docker exec ${container} kill -USR2 <pid in container ${short}>` },
          ];
    // The host pid reaches the containerized process directly (root on the host), and
    // /proc/PID/root is the container's file system: no docker cp of a whole folder.
    return [
      { label: 'Trigger a heap dump from the host (root; host pid of the containerized worker)', command: `sudo kill -USR2 ${target.pid}` },
      ...inner,
      { label: 'Watch the dump being written (the container\u2019s /tmp, seen from the host)', command: `sudo ls -la /proc/${target.pid}/root${glob}` },
      { label: 'Copy the dumps off the container', command: `mkdir -p dumps && sudo cp /proc/${target.pid}/root${glob} dumps/` },
      { label: 'Memory of the containers', command: 'docker stats --no-stream' },
    ];
  }
  return [
    { label: 'Trigger a heap dump', command: `kill -USR2 ${target.pid}` },
    { label: 'Watch the dump being written', command: `ls -la ${glob}` },
    { label: 'Memory of the process', command: `grep -E 'VmRSS|VmHWM' /proc/${target.pid}/status` },
    { label: 'Memory of the host', command: 'free -h' },
  ];
}

/**
 * The command target of a process the agent listed: a containerized one is
 * named by its container's name when the agent's container list has it (else
 * its id, which docker accepts too) and signalled inside by the pid the agent
 * read from NSpid; an agent without that field leaves it unknown, so the
 * commands ask to look it up rather than guess the host pid.
 */
export function commandTargetOf(
  process: Pick<ProcessSummary, 'pid' | 'containerId' | 'pidInNamespace'>,
  options: { dumpGlob?: string; containers?: readonly Pick<ContainerSummary, 'id' | 'name'>[] } = {},
): CommandTarget {
  if (process.containerId === null) return { pid: process.pid, dumpGlob: options.dumpGlob };
  const container = options.containers?.find((one) => one.id === process.containerId);
  return {
    pid: process.pid,
    container: container?.name || process.containerId,
    pidInContainer: process.pidInNamespace ?? null,
    dumpGlob: options.dumpGlob,
  };
}

/** The SSH tunnel that reaches a remote agent on its loopback port. */
export function sshTunnelCommand(sshHost: string, remotePort = 7373, localPort = 7374): string {
  return `ssh -N -L ${localPort}:127.0.0.1:${remotePort} ${shellQuote(sshHost)}`;
}
