# frozen_string_literal: true

require "objspace"
require "tmpdir"
require_relative "config"
require_relative "log"

# LeakPilot::HeapDump writes one full heap dump of the current process.
#
# Invariants:
# - The dump is written to `<dir>/heap_dump_signal_<pid>_<unix ms>.json.tmp` and
#   renamed to `.json` only when complete, so a reader (the LeakPilot agent
#   watching `heap_dump_signal_*.json`) never sees a half-written file. The
#   rename is atomic because both names are in the same directory.
# - A full, immediate-sweep GC runs first, so the dump holds only live objects.
# - One dump at a time per process (LOCK); a second signal during a dump waits.
# - Never raises: a failed dump logs `HEAP_DUMP_FAILED` and removes its .tmp,
#   because this runs in a thread of a production worker.
#
# While ObjectSpace.dump_all runs it holds the GVL: the worker serves nothing
# and cannot check in with the Puma master. A dump longer than Puma's
# `worker_timeout` (60 s by default) gets the worker killed; see the README.
module LeakPilot
  module HeapDump
    LOCK = Mutex.new
    FILE_PREFIX = "heap_dump_signal_"

    module_function

    # Returns the final path of the dump, or nil when it failed.
    def dump!(dir: Config.dump_dir)
      LOCK.synchronize do
        rehearse
        write_dump(dir)
      end
    rescue Exception => e # rubocop:disable Lint/RescueException -- a dump must never kill the worker
      Log.record("HEAP_DUMP_FAILED", pid: Process.pid, error: "#{e.class}: #{e.message}")
      nil
    end

    def path_for(dir, pid, unix_ms)
      File.join(dir, "#{FILE_PREFIX}#{pid}_#{unix_ms}.json")
    end

    # Runs the dump's code path once, just before each real dump, writing no
    # heap dump and no log line. Caller holds LOCK.
    #
    # Why: Ruby creates an inline cache (an IMEMO object) when a call site
    # first runs, and (Ruby 3.1) refills every constant cache after any
    # constant is defined anywhere. The call sites that run *after* dump_all
    # (rename, size, logging, objspace.rb's epilogue) would create theirs
    # after the dump was written, so each comparison listed ~14 of LeakPilot's
    # own objects as "allocated after dump 1 and still alive". Rehearsed right
    # before, they are in the dump already. The rehearsal skips the GC and
    # dump_all itself (a `since:` dump would cover objspace.rb's epilogue too,
    # but walks the heap: +23 % on a 2.3M-object dump, measured; that one
    # call cache of Ruby's is not worth it). Returns true when it ran.
    def rehearse
      null_log = IO.new(IO.sysopen(File::NULL, "w"))
      Dir.mktmpdir("leakpilot-rehearsal") { |dir| write_dump(dir, rehearsal: true, log_io: null_log) }
      true
    rescue StandardError
      false
    ensure
      null_log&.close
    end

    # A rehearsal (see `rehearse`) runs every line but the GC and dump_all.
    def write_dump(dir, rehearsal: false, log_io: $stderr)
      pid = Process.pid
      path = path_for(dir, pid, Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond))
      tmp_path = "#{path}.tmp"
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      GC.start(full_mark: true, immediate_sweep: true) unless rehearsal
      gc_count = GC.count
      begin
        File.open(tmp_path, "w") { |io| ObjectSpace.dump_all(output: io) unless rehearsal }
        File.rename(tmp_path, path)
      ensure
        File.unlink(tmp_path) if File.exist?(tmp_path)
      end
      seconds = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
      Log.record("HEAP_DUMP", io: log_io, pid: pid, path: path, bytes: File.size(path), seconds: seconds, gc_count: gc_count)
      path
    end
  end
end
