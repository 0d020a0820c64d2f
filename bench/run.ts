/**
 * `npm run bench`: runs every section in bench/sections/*.ts in file-name
 * order (or only those named on the command line: `npm run bench -- parse`),
 * then prints one table of all figures and writes bench/out/results.json.
 *
 * Timings belong here, never in unit tests. Sections share the large dumps,
 * which are generated once into ${TMPDIR:-/tmp}/leakpilot-bench and reused.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runIsolated, type BenchContext, type BenchResult } from './context.ts';
import { ensureLargeDump, ensureLargeSeries } from './make-large-dump.ts';
import { formatResultsTable } from './results-table.ts';

interface SectionModule {
  run(ctx: BenchContext): Promise<void>;
}

const sectionsDir = fileURLToPath(new URL('./sections/', import.meta.url));
const outDir = fileURLToPath(new URL('./out/', import.meta.url));

async function listSections(only: string[]): Promise<string[]> {
  const names = (await readdir(sectionsDir))
    .filter((file) => file.endsWith('.ts') && !file.includes('.child.'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
  return only.length === 0 ? names : names.filter((name) => only.includes(name));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: BenchResult[] = [];
  const failures: string[] = [];
  let largeDump: Promise<string> | null = null;
  let largeSeries: ReturnType<typeof ensureLargeSeries> | null = null;

  for (const section of await listSections(only)) {
    const ctx: BenchContext = {
      largeDumpPath: () => (largeDump ??= ensureLargeDump({ log: (m) => ctx.log(m) })),
      largeSeriesPaths: () => (largeSeries ??= ensureLargeSeries({ log: (m) => ctx.log(m) })),
      record: (name, metrics) => {
        results.push({ section, name, metrics });
        process.stderr.write(`[${section}] ${name}: ${JSON.stringify(metrics)}\n`);
      },
      log: (message) => process.stderr.write(`[${section}] ${message}\n`),
      runIsolated,
    };
    process.stderr.write(`== ${section}\n`);
    try {
      const module = (await import(new URL(`./sections/${section}.ts`, import.meta.url).href)) as SectionModule;
      await module.run(ctx);
    } catch (error) {
      failures.push(section);
      process.stderr.write(`[${section}] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }

  await mkdir(outDir, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, results, failures };
  await writeFile(`${outDir}results.json`, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(formatResultsTable(results));
  process.stdout.write(`\nwrote bench/out/results.json${failures.length > 0 ? `; FAILED sections: ${failures.join(', ')}` : ''}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
