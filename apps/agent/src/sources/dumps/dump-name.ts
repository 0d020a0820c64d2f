/**
 * What a dump's file name says. Ruby's heap dump initializers (and the
 * fixtures in fixtures/rails-series-a) write
 * `heap_dump_signal_<pid>_<unixtime>.json`, optionally gzipped afterwards,
 * and may write `<name>.tmp` first and rename it when complete. The unix time
 * is in seconds (9-11 digits, the fixtures) or in milliseconds (12-13 digits,
 * what integrations/ruby writes).
 */
export interface DumpNameFacts {
  pid: number | null;
  dumpedAtMs: number | null;
  gzipped: boolean;
  partial: boolean;
}

const SIGNAL_NAME = /_(\d+)_(\d{9,13})\.json(?:\.gz)?(?:\.tmp)?$/;
const MILLISECOND_DIGITS = 12;

export function parseDumpName(name: string): DumpNameFacts {
  const match = SIGNAL_NAME.exec(name);
  return {
    pid: match === null ? null : Number(match[1]),
    dumpedAtMs: match === null ? null : Number(match[2]) * (match[2].length >= MILLISECOND_DIGITS ? 1 : 1000),
    gzipped: /\.gz(?:\.tmp)?$/.test(name),
    partial: name.endsWith('.tmp'),
  };
}
