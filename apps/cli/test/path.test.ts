import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { railsSeries, runCli } from './diff-output-capture.ts';

/** The address of the first Ahoy::Event line, read straight from the file. */
async function firstEventAddress(): Promise<string> {
  const lines = createInterface({ input: createReadStream(railsSeries[2]).pipe(createGunzip()) });
  for await (const line of lines) {
    if (line.includes('"type":"OBJECT"') && line.includes('app/models/ahoy/event.rb", "line":14')) {
      lines.close();
      return /"address":"(0x[0-9a-f]+)"/.exec(line)?.[1] ?? '';
    }
  }
  throw new Error('no Ahoy::Event line in the fixture');
}

describe('leakpilot path', () => {
  it('prints the shortest path from a ROOT line through the class-level @buffer Array', async () => {
    const address = await firstEventAddress();
    const run = await runCli(['path', railsSeries[2], address]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Ahoy::Event (OBJECT) ${address} allocated at /srv/leakyapp/app/models/ahoy/event.rb:14`);
    expect(run.stdout).toMatch(/^ROOT vm$/m);
    expect(run.stdout).toMatch(/Ahoy::Event \(CLASS\) 0x[0-9a-f]+\n\s+│ constant, class variable or class-level ivar\n\s+Array \(ARRAY\)/);
    expect(run.stdout).toMatch(/│ element \[\d+\]/);
    // nested classes are held as the constant of their name
    expect(run.stdout).toMatch(/Ahoy \(MODULE\) 0x[0-9a-f]+\n\s+│ constant Event\n/);
  });

  it('gives the inspection with pathToRoot as --json', async () => {
    const address = await firstEventAddress();
    const run = await runCli(['path', railsSeries[2], address, '--json']);
    const inspection = JSON.parse(run.stdout);
    expect(inspection.pathToRoot.at(-1)).toMatchObject({ address, className: 'Ahoy::Event', holds: '' });
    expect(inspection.retainers[0].className).toBe('Array');
  });

  it('exits 1 naming the file when the address is not in the dump', async () => {
    const run = await runCli(['path', railsSeries[2], '0x10']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no object at 0x10 in');
  });
});
