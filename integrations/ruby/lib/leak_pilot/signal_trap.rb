# frozen_string_literal: true

require_relative "config"
require_relative "heap_dump"
require_relative "log"

# LeakPilot::SignalTrap makes a process write a heap dump when it receives the
# dump signal (USR2 unless LEAKPILOT_DUMP_SIGNAL says otherwise).
#
# Invariants:
# - Never installed in a Puma cluster master: there USR2 is Puma's hot restart.
#   The master is known either because the Puma snippet called
#   `LeakPilot.puma_master!` (it records the pid), or because someone else
#   already trapped the signal: without `force:` we never replace a handler we
#   did not install, and say so in the log.
# - Puma workers inherit the master's handlers across fork, so the Puma snippet
#   installs the trap in `on_worker_boot` with `force: true`: in a worker the
#   inherited handler is Puma's restart, which is meaningless there.
# - Idempotent per pid; a forked child must install again (its own pid).
# - The handler only starts a Thread: trap context forbids Mutex#lock, which
#   logging and the dump's LOCK need. The thread does the dump.
module LeakPilot
  module SignalTrap
    FREE_HANDLERS = [nil, "DEFAULT", "SYSTEM_DEFAULT", "IGNORE", ""].freeze

    @installed_pid = nil
    @puma_master_pid = nil

    class << self
      attr_accessor :puma_master_pid, :puma_cluster_check

      def installed?
        @installed_pid == Process.pid
      end

      # Returns :installed, :already_installed, :puma_master or :foreign_handler.
      def install!(force: false)
        return :already_installed if installed?
        return refuse(:puma_master) if puma_cluster_master?

        signal = Config.dump_signal
        previous = Signal.trap(signal) { Thread.new { HeapDump.dump! } }
        if !force && !FREE_HANDLERS.include?(previous)
          Signal.trap(signal, previous)
          return refuse(:foreign_handler)
        end
        @installed_pid = Process.pid
        Log.info("kill -#{signal} #{Process.pid} writes a heap dump to #{Config.dump_dir}")
        :installed
      end

      # True in the pid the Puma snippet marked, unless its cluster check says
      # Puma runs in single mode. A check that fails counts as "master": the
      # safe answer, since trapping there could steal Puma's restart signal.
      def puma_cluster_master?
        return false unless puma_master_pid == Process.pid
        return true if puma_cluster_check.nil?

        puma_cluster_check.call ? true : false
      rescue StandardError
        true
      end

      private

      def refuse(reason)
        Log.info("not trapping #{Config.dump_signal} in this process (#{reason}); " \
                 "Puma workers get the trap from on_worker_boot")
        reason
      end
    end
  end
end
