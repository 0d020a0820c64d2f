# frozen_string_literal: true

# Rake tasks for those who prefer them to kill(1). Copy to lib/tasks/ in a Rails
# app (Rails loads lib/tasks/*.rake), or `load` it from a Rakefile.
#
#   rake memory:snapshot            RSS of every Puma process on this machine, largest worker marked
#   rake memory:heap_dump[PID]      send the dump signal to worker PID and wait for its .json
#   rake memory:heap_dump           dump this rake process itself (after the app loaded, in Rails)
require_relative "../leak_pilot"

namespace :memory do
  desc "RSS of each Puma process (master and workers), from /proc"
  task :snapshot do
    rows = LeakPilot::ProcStatus.puma_processes
    abort "no Puma processes found in /proc" if rows.empty?

    largest = rows.select { |row| row[:role] == :worker && row[:rss_mb] }.max_by { |row| row[:rss_mb] }
    rows.each do |row|
      rss = row[:rss_mb] ? format("%9.1f MB", row[:rss_mb]) : "        ? MB"
      mark = row.equal?(largest) ? "  <- largest worker" : ""
      puts format("%-7s %8d %s  %s%s", row[:role], row[:pid], rss, row[:title], mark)
    end
  end

  desc "Heap dump: of Puma worker PID via its dump signal, or of this process"
  task :heap_dump, [:pid] do |_task, args|
    if args[:pid]
      pid = Integer(args[:pid])
      abort "#{pid} is a Puma master: there #{LeakPilot::Config.dump_signal} is a hot restart. Pick a worker (rake memory:snapshot)." if LeakPilot::ProcStatus.puma_role(pid) == :master

      dir = LeakPilot::Config.dump_dir
      pattern = File.join(dir, "#{LeakPilot::HeapDump::FILE_PREFIX}#{pid}_*.json")
      before = Dir.glob(pattern)
      Process.kill(LeakPilot::Config.dump_signal, pid)
      timeout_seconds = Float(ENV.fetch("LEAKPILOT_DUMP_TIMEOUT_SECONDS", 600))
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout_seconds
      until (fresh = Dir.glob(pattern) - before).any?
        abort "no dump from #{pid} in #{dir} after #{timeout_seconds} s" if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline
        sleep 0.2
      end
      puts fresh.first
    else
      Rake::Task[:environment].invoke if Rake::Task.task_defined?(:environment)
      path = LeakPilot::HeapDump.dump!
      abort "heap dump failed (see the HEAP_DUMP_FAILED line)" unless path
      puts path
    end
  end
end
