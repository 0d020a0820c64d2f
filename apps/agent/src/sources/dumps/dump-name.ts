/**
 * What a dump's file name says. Ruby's heap dump initializers (and the
 * fixtures in fixtures/rails-series-a) write
 * `heap_dump_signal_<pid>_<unixtime>.json`, optionally gzipped afterwards,
 * and may write `<name>.tmp` first and rename it when complete.
 */
export interface DumpNameFacts {
  pid: number | null;
  dumpedAtMs: number | null;
  gzipped: boolean;
  partial: boolean;
}

const SIGNAL_NAME = /_(\d+)_(\d{9,11})\.json(?:\.gz)?(?:\.tmp)?$/;

export function parseDumpName(name: string): DumpNameFacts {
  const match = SIGNAL_NAME.exec(name);
  return {
    pid: match === null ? null : Number(match[1]),
    dumpedAtMs: match === null ? null : Number(match[2]) * 1000,
    gzipped: /\.gz(?:\.tmp)?$/.test(name),
    partial: name.endsWith('.tmp'),
  };
}
