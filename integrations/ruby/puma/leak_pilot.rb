# frozen_string_literal: true

# LeakPilot's Puma snippet. Either paste these lines into config/puma.rb, or
# keep this file next to it and add `instance_eval(File.read(File.expand_path("leak_pilot.rb", __dir__)))`.
# It expects the integration's lib/ folder copied to the app's lib/ (so
# lib/leak_pilot.rb exists); set LEAKPILOT_LIB to load it from elsewhere.
#
# Why it is needed: in a Puma cluster master, SIGUSR2 is Puma's hot restart.
# With preload_app! the app's initializers run in the master, and workers then
# inherit the master's signal handlers across fork. So the master must be
# marked (LeakPilot never traps there) and each worker must install the dump
# trap itself, after fork: that is on_worker_boot.
#
# A dump holds the GVL; a worker that cannot check in for worker_timeout
# seconds is killed by the master. Give big workers time to finish a dump.
require File.expand_path(ENV.fetch("LEAKPILOT_LIB", File.join(Dir.pwd, "lib", "leak_pilot.rb")))

# Puma's final configuration (file, CLI flags, WEB_CONCURRENCY) is known only
# once the app loads, so the master check is a block, asked then.
puma_configuration = @config
LeakPilot.puma_master!(cluster: -> { Integer(puma_configuration.options[:workers] || 0).positive? })
worker_timeout Integer(ENV.fetch("PUMA_WORKER_TIMEOUT", 120)) if LeakPilot.enabled?

# Puma 7 renamed on_worker_boot to before_worker_boot (the old name warns).
respond_to?(:before_worker_boot) ? before_worker_boot { LeakPilot.worker_boot! } : on_worker_boot { LeakPilot.worker_boot! }
