/**
 * Builds apps/web/public/demo.leakpilot: the session a newcomer sees on first
 * run, made by the real engine from the small real dump series
 * fixtures/ruby-3.3.8/01..03 (a Ruby 3.3.8 script whose Ahoy::Event store and
 * CACHE hash only grow). It parses the three dumps, summarizes each, runs the 3-dump diff, the
 * leak suspects and the object inspector on one likely-retained Ahoy::Event
 * (an address from the fixture's ground truth), and stores them as session
 * results, so every view works offline without the dumps.
 *
 * Deterministic: fixed ids and times, so rerunning gives the same file.
 * Run: npx tsx scripts/make-demo-session.ts [output path]
 * (`npm start` runs it when the file is missing.)
 */
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { EngineSession } from '../packages/shared/src/api/engine.ts';
import { parseHeapDump } from '../packages/shared/src/parse/parse-heap-dump.ts';
import { encodeSessionFile } from '../packages/shared/src/session/session-codec.ts';
import { createSessionData, type JsonValue, type SessionData } from '../packages/shared/src/session/session-types.ts';

const fixtures = new URL('../fixtures/ruby-3.3.8/', import.meta.url);
const output = process.argv[2] ?? new URL('../apps/web/public/demo.leakpilot', import.meta.url).pathname;
/** 2026-01-01T00:00:00Z: a fixed clock keeps the file reproducible */
const DEMO_EPOCH_MS = 1_767_225_600_000;
const DUMPS = [
  { id: 'demo-01', file: '01-baseline.json.gz', minutes: 0 },
  { id: 'demo-02', file: '02-after-leak1.json.gz', minutes: 30 },
  { id: 'demo-03', file: '03-after-leak2.json.gz', minutes: 60 },
];

interface GroundTruth {
  answer: Record<string, number>;
  answer_addresses: { ahoy_event: string[] };
}

/** The engine's results are plain data; this makes TypeScript agree they are JSON. */
function asJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

async function main(): Promise<void> {
  const groundTruth = JSON.parse(readFileSync(new URL('ground_truth.json', fixtures), 'utf8')) as GroundTruth;
  const engine = new EngineSession();
  const session: SessionData = createSessionData('demo-session', 'Demo: a growing event store (Ruby 3.3.8)', DEMO_EPOCH_MS);

  for (const dump of DUMPS) {
    const path = new URL(dump.file, fixtures);
    const sizeBytes = statSync(path).size;
    engine.addDump(dump.id, await parseHeapDump(createReadStream(path), { totalBytes: sizeBytes }));
    session.dumps.push({
      id: dump.id,
      name: dump.file,
      sizeBytes,
      pid: null,
      capturedAtMs: DEMO_EPOCH_MS + dump.minutes * 60_000,
      source: { kind: 'generated', description: `fixtures/ruby-3.3.8/${dump.file}, a real dump bundled with LeakPilot` },
      addedAtMs: DEMO_EPOCH_MS + dump.minutes * 60_000,
    });
  }

  const ids = DUMPS.map((dump) => dump.id);
  const resultTimeMs = DEMO_EPOCH_MS + 61 * 60_000;
  DUMPS.forEach((dump, index) => {
    session.results.push({ id: `demo-summary-${index + 1}`, kind: 'summary', dumpIds: [dump.id], title: `Summary of ${dump.file}`, createdAtMs: resultTimeMs - 1_000 + index, data: asJson(engine.summary(dump.id)) });
  });
  session.results.push({ id: 'demo-diff', kind: 'diff', dumpIds: ids, title: 'Compare 3 dumps', createdAtMs: resultTimeMs, data: asJson(engine.diff(ids)) });
  session.results.push({ id: 'demo-suspects', kind: 'suspects', dumpIds: ids, title: 'Leak suspects', createdAtMs: resultTimeMs + 1_000, data: asJson(engine.suspects(ids)) });
  const eventAddress = groundTruth.answer_addresses.ahoy_event[0];
  session.results.push({
    id: 'demo-inspect',
    kind: 'inspect',
    dumpIds: ['demo-03'],
    title: `Ahoy::Event ${eventAddress} in 03-after-leak2.json.gz`,
    createdAtMs: resultTimeMs + 2_000,
    data: asJson(engine.inspect('demo-03', eventAddress)),
  });

  session.notes = [
    'This demo was made from three real heap dumps of a small Ruby 3.3.8 script (fixtures/ruby-3.3.8 in the LeakPilot repository).',
    'The script keeps every Ahoy::Event in a class-level array and every 2 KB cache string in a top-level CACHE hash.',
    `Known answer: ${groundTruth.answer.ahoy_event_allocated_between_1_and_2_alive_in_3} Ahoy::Event objects and ${groundTruth.answer.cache_strings_allocated_between_1_and_2_alive_in_3} cache strings were allocated between dump 1 and dump 2 and are still alive in dump 3.`,
    'Open "Leak suspects" to see what holds them, and the inspector for the path from a ROOT.',
  ].join('\n');
  session.checklist = [
    { stepId: 'dump-1', status: 'done', updatedAtMs: DEMO_EPOCH_MS, note: 'Dump 1: 01-baseline.json.gz' },
    { stepId: 'dump-2-3', status: 'done', updatedAtMs: DEMO_EPOCH_MS + 60 * 60_000, note: 'Dumps 2 and 3, 30 minutes apart' },
    { stepId: 'compare', status: 'done', updatedAtMs: resultTimeMs, note: 'Compared the three dumps' },
  ];
  // a finished analysis: the root cause is known (stops the checklist's 2-hour escalation clock)
  session.rootCauseFoundAtMs = resultTimeMs + 2_000;
  session.updatedAtMs = resultTimeMs + 2_000;

  const bytes = await encodeSessionFile(session, { producer: 'LeakPilot demo (scripts/make-demo-session.ts)', exportedAtMs: resultTimeMs + 3_000 });
  writeFileSync(output, bytes);
  console.error(`demo session: ${output} (${bytes.byteLength} bytes, ${session.results.length} results)`);
}

await main();
