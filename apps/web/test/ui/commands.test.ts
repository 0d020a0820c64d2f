import { describe, expect, it } from 'vitest';
import { commandTargetOf, dumpCommandsFor, shellQuote, sshTunnelCommand } from '../../src/lib/state/commands.ts';

describe('dumpCommandsFor', () => {
  it('fills in the pid for a process on the host', () => {
    const commands = dumpCommandsFor({ pid: 31337 });
    expect(commands[0].command).toBe('kill -USR2 31337');
    expect(commands.some((command) => command.command.includes('/proc/31337/status'))).toBe(true);
  });

  it('signals a containerized worker by its host pid and through docker exec with its pid inside', () => {
    const commands = dumpCommandsFor({ pid: 31337, container: 'web-1', pidInContainer: 7 });
    expect(commands[0].command).toBe('sudo kill -USR2 31337');
    expect(commands[1].command).toBe('docker exec web-1 kill -USR2 7');
    expect(commands.some((command) => command.command === 'mkdir -p dumps && sudo cp /proc/31337/root/tmp/heap_dump_signal_*.json* dumps/')).toBe(true);
  });

  it('asks to look up the pid inside the container when the agent does not know it', () => {
    const commands = dumpCommandsFor({ pid: 31337, container: 'web-1' }).map((command) => command.command);
    expect(commands).toContain('docker exec web-1 ps ax -o pid,args');
    expect(commands.some((command) => command.startsWith('docker exec web-1 kill -USR2 <pid in container'))).toBe(true);
    expect(commands.some((command) => command.includes('kill -USR2 31337') && command.startsWith('docker exec'))).toBe(false);
  });

  it('quotes a container name a shell would split', () => {
    expect(dumpCommandsFor({ pid: 5, container: "odd name's", pidInContainer: 1 })[1].command).toBe(
      `docker exec 'odd name'"'"'s' kill -USR2 1`,
    );
  });
});

describe('commandTargetOf', () => {
  const CONTAINER_ID = 'f2a4b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5';

  it('fills docker exec with the container name and the pid inside its PID namespace, no placeholder', () => {
    const target = commandTargetOf(
      { pid: 48211, containerId: CONTAINER_ID, pidInNamespace: 7 },
      { containers: [{ id: CONTAINER_ID, name: 'web-1' }] },
    );
    const commands = dumpCommandsFor(target).map((command) => command.command);
    expect(commands).toContain('docker exec web-1 kill -USR2 7');
    expect(commands).toContain('sudo kill -USR2 48211');
    expect(commands.some((command) => command.includes('<pid in container'))).toBe(false);
  });

  it('names the container by id when the agent lists no such container', () => {
    const commands = dumpCommandsFor(commandTargetOf({ pid: 48211, containerId: CONTAINER_ID, pidInNamespace: 1 })).map((command) => command.command);
    expect(commands).toContain(`docker exec ${CONTAINER_ID} kill -USR2 1`);
  });

  it('keeps the look-up step when an older agent does not report the pid inside', () => {
    const commands = dumpCommandsFor(commandTargetOf({ pid: 48211, containerId: CONTAINER_ID }, { containers: [{ id: CONTAINER_ID, name: 'web-1' }] })).map(
      (command) => command.command,
    );
    expect(commands).toContain('docker exec web-1 ps ax -o pid,args');
  });

  it('signals a host process by its pid with the agent\'s dump glob', () => {
    const target = commandTargetOf({ pid: 31337, containerId: null, pidInNamespace: 31337 }, { dumpGlob: '/var/dumps/heap_*.json' });
    expect(dumpCommandsFor(target).map((command) => command.command)).toEqual([
      'kill -USR2 31337',
      'ls -la /var/dumps/heap_*.json',
      "grep -E 'VmRSS|VmHWM' /proc/31337/status",
      'free -h',
    ]);
  });
});

describe('shellQuote and sshTunnelCommand', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('deploy@app-1.example')).toBe('deploy@app-1.example');
    expect(shellQuote('a b')).toBe("'a b'");
  });

  it('forwards a local port to the agent on the remote loopback', () => {
    expect(sshTunnelCommand('deploy@app-1')).toBe('ssh -N -L 7374:127.0.0.1:7373 deploy@app-1');
  });
});
