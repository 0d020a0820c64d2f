# frozen_string_literal: true

# LeakPilot for Rails: copy to config/initializers/leak_pilot.rb, and the
# integration's lib/ folder to your app's lib/. With ENABLE_MEMORY_DEBUGGING=true:
#   - allocation tracing starts now (dumps then say where each object was allocated),
#   - `kill -USR2 <puma worker pid>` makes that worker write
#     /tmp/heap_dump_signal_<pid>_<unix ms>.json and log a HEAP_DUMP line,
#   - HIGH_MEMORY_MB=… logs HIGH_MEMORY lines while RSS is above it.
# Signal a WORKER, never the Puma master (there USR2 is a hot restart). Under
# Puma cluster mode add the Puma snippet too (integrations/ruby/puma/leak_pilot.rb):
# it installs the trap in each worker and keeps the master's USR2 untouched.
require Rails.root.join("lib", "leak_pilot").to_s

LeakPilot.boot!
