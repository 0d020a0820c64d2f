import { describe, expect, it } from 'vitest';
import { dumpCommandsFor, shellQuote, sshTunnelCommand } from '../../src/lib/state/commands.ts';

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

describe('shellQuote and sshTunnelCommand', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('deploy@app-1.example')).toBe('deploy@app-1.example');
    expect(shellQuote('a b')).toBe("'a b'");
  });

  it('forwards a local port to the agent on the remote loopback', () => {
    expect(sshTunnelCommand('deploy@app-1')).toBe('ssh -N -L 7374:127.0.0.1:7373 deploy@app-1');
  });
});
