# frozen_string_literal: true

# LeakPilot::Config owns the environment variables the Ruby integration reads.
# Every setting is read when it is used, never cached, so a test (or a Puma
# worker) can change the environment after this file was loaded.
#
#   ENABLE_MEMORY_DEBUGGING=true   turn the integration on (anything else: off)
#   LEAKPILOT_DUMP_DIR=/tmp        where dumps go (the checklist's /tmp by default)
#   LEAKPILOT_DUMP_SIGNAL=USR2     the signal a worker dumps on
#   HIGH_MEMORY_MB=1024            log HIGH_MEMORY lines while RSS is at or above this
#   HIGH_MEMORY_INTERVAL_SECONDS=60  how often the RSS is read
module LeakPilot
  module Config
    DEFAULT_DUMP_DIR = "/tmp"
    DEFAULT_SIGNAL = "USR2"
    DEFAULT_MEMORY_INTERVAL_SECONDS = 60.0

    module_function

    def enabled?
      ENV["ENABLE_MEMORY_DEBUGGING"] == "true"
    end

    def dump_dir
      dir = ENV["LEAKPILOT_DUMP_DIR"]
      dir.nil? || dir.empty? ? DEFAULT_DUMP_DIR : dir
    end

    # The signal name without the SIG prefix, as Signal.trap and Process.kill take it.
    def dump_signal
      name = ENV.fetch("LEAKPILOT_DUMP_SIGNAL", DEFAULT_SIGNAL).to_s.upcase.delete_prefix("SIG")
      name.empty? ? DEFAULT_SIGNAL : name
    end

    # nil when HIGH_MEMORY logging is off (the variable is unset, empty or not a positive number).
    def high_memory_threshold_mb
      mb = Float(ENV.fetch("HIGH_MEMORY_MB", ""), exception: false)
      mb&.positive? ? mb : nil
    end

    def memory_interval_seconds
      seconds = Float(ENV.fetch("HIGH_MEMORY_INTERVAL_SECONDS", ""), exception: false)
      seconds&.positive? ? seconds : DEFAULT_MEMORY_INTERVAL_SECONDS
    end
  end
end
