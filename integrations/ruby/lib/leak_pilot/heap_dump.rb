# frozen_string_literal: true

require "objspace"
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
      LOCK.synchronize { write_dump(dir) }
    rescue Exception => e # rubocop:disable Lint/RescueException -- a dump must never kill the worker
      Log.record("HEAP_DUMP_FAILED", pid: Process.pid, error: "#{e.class}: #{e.message}")
      nil
    end

    def path_for(dir, pid, unix_ms)
      File.join(dir, "#{FILE_PREFIX}#{pid}_#{unix_ms}.json")
    end

    def write_dump(dir)
      pid = Process.pid
      path = path_for(dir, pid, Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond))
      tmp_path = "#{path}.tmp"
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      GC.start(full_mark: true, immediate_sweep: true)
      gc_count = GC.count
      begin
        File.open(tmp_path, "w") { |io| ObjectSpace.dump_all(output: io) }
        File.rename(tmp_path, path)
      ensure
        File.unlink(tmp_path) if File.exist?(tmp_path)
      end
      seconds = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
      Log.record("HEAP_DUMP", pid: pid, path: path, bytes: File.size(path), seconds: seconds, gc_count: gc_count)
      path
    end
  end
end
