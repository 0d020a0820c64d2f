# frozen_string_literal: true

# LeakPilot::Log writes the integration's one-line, grep-able log records:
#   HEAP_DUMP pid=… path=… bytes=… seconds=… gc_count=…
#   HIGH_MEMORY pid=… rss_mb=… threshold_mb=…
#   LEAKPILOT pid=… message=…
# to $stderr, which Puma and Rails both keep in their logs. It never takes a
# lock of its own; callers are threads, never trap context (a Mutex is not
# allowed there, and IO#puts may take one).
module LeakPilot
  module Log
    module_function

    # Each field is written as key=value; values with spaces are quoted.
    # `io` is for HeapDump's rehearsal (an IO on /dev/null); callers log to $stderr.
    def record(kind, io: $stderr, **fields)
      line = [kind, *fields.map { |key, value| "#{key}=#{format_value(value)}" }].join(" ")
      io.puts(line)
      io.flush
      line
    end

    def info(message)
      record("LEAKPILOT", pid: Process.pid, message: message)
    end

    def format_value(value)
      text = value.is_a?(Float) ? format("%.3f", value) : value.to_s
      text.match?(/[\s"]/) ? text.inspect : text
    end
  end
end
