# frozen_string_literal: true

require_relative "leak_pilot/config"
require_relative "leak_pilot/log"
require_relative "leak_pilot/proc_status"
require_relative "leak_pilot/heap_dump"
require_relative "leak_pilot/signal_trap"
require_relative "leak_pilot/memory_log"

# LeakPilot's Ruby side: the three entry points an app calls. Standard library
# only (objspace), Ruby 3.1 to 3.4, Rails or plain Rack.
#
#   LeakPilot.boot!         at app load (Rails initializer, config.ru): tracing
#                           + the dump trap where that is safe + memory logging
#   LeakPilot.puma_master!  in config/puma.rb: "this pid is the cluster master"
#   LeakPilot.worker_boot!  in Puma's on_worker_boot: trap + memory logging
#
# All three do nothing unless ENABLE_MEMORY_DEBUGGING=true.
module LeakPilot
  module_function

  def enabled?
    Config.enabled?
  end

  # Starts allocation tracing (idempotent: Ruby keeps one tracer) so that dumps
  # carry file/line/method/generation for every object allocated from now on.
  def boot!
    return false unless enabled?

    ObjectSpace.trace_object_allocations_start
    SignalTrap.install!
    MemoryLog.start!
    true
  end

  # `cluster` answers, when the trap is about to be installed, whether Puma
  # really runs workers (the Puma snippet reads Puma's final configuration):
  # in single mode the process serves requests itself and may dump on a signal
  # Puma leaves free. Without it, the process is always taken for a master.
  def puma_master!(cluster: nil)
    return false unless enabled?

    SignalTrap.puma_master_pid = Process.pid
    SignalTrap.puma_cluster_check = cluster
    true
  end

  def worker_boot!
    return false unless enabled?

    ObjectSpace.trace_object_allocations_start
    SignalTrap.install!(force: true)
    MemoryLog.start!
    true
  end
end
