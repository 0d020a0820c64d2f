# frozen_string_literal: true

require_relative "config"
require_relative "log"
require_relative "proc_status"

# LeakPilot::MemoryLog runs one background thread per process that reads the
# process's RSS every HIGH_MEMORY_INTERVAL_SECONDS and logs
#   HIGH_MEMORY pid=… rss_mb=… threshold_mb=…
# while it is at or above HIGH_MEMORY_MB. Off unless HIGH_MEMORY_MB is set.
#
# Threads do not survive fork, so each Puma worker starts its own (the Puma
# snippet calls `LeakPilot.worker_boot!`). Idempotent per pid.
module LeakPilot
  module MemoryLog
    @thread_pid = nil

    class << self
      # Returns the thread, or nil when logging is off or already running here.
      def start!
        threshold_mb = Config.high_memory_threshold_mb
        return nil if threshold_mb.nil? || @thread_pid == Process.pid

        @thread_pid = Process.pid
        interval_seconds = Config.memory_interval_seconds
        Thread.new do
          Thread.current.name = "leakpilot-memory" if Thread.current.respond_to?(:name=)
          loop do
            check(threshold_mb)
            sleep(interval_seconds)
          end
        end
      end

      # Logs one HIGH_MEMORY line when RSS is at or above the threshold; returns the RSS in MiB.
      def check(threshold_mb)
        rss_mb = ProcStatus.rss_mb
        if rss_mb && rss_mb >= threshold_mb
          Log.record("HIGH_MEMORY", pid: Process.pid, rss_mb: format("%.1f", rss_mb), threshold_mb: format("%.1f", threshold_mb))
        end
        rss_mb
      end
    end
  end
end
