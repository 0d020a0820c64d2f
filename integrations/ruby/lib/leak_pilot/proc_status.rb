# frozen_string_literal: true

# LeakPilot::ProcStatus reads memory figures and Puma roles from Linux /proc.
# Returns nil (never raises) where /proc is missing (macOS) or the process has
# gone, so callers on other platforms just log nothing.
module LeakPilot
  module ProcStatus
    KIB_PER_MIB = 1024.0

    module_function

    # Resident set size in MiB, from the VmRSS line of /proc/<pid>/status.
    def rss_mb(pid = Process.pid)
      File.foreach("/proc/#{pid}/status") do |line|
        return Integer(line.split[1]) / KIB_PER_MIB if line.start_with?("VmRSS:")
      end
      nil
    rescue SystemCallError, ArgumentError
      nil
    end

    # The process title Puma set ($0), from /proc/<pid>/cmdline.
    def title(pid)
      File.binread("/proc/#{pid}/cmdline").split("\0").join(" ")
    rescue SystemCallError
      nil
    end

    # :worker, :master or nil, from the titles Puma gives its processes:
    #   "puma: cluster worker 0: 1234 [app]" and "puma 5.6.5 (tcp://…) [app]".
    def puma_role(pid)
      text = title(pid)
      return nil if text.nil?
      return :worker if text.start_with?("puma: cluster worker")
      return :master if text.match?(/\Apuma \d/)

      nil
    end

    # [{pid:, role:, title:, rss_mb:}] for every Puma process visible in /proc.
    def puma_processes
      Dir.glob("/proc/[0-9]*").filter_map do |dir|
        pid = Integer(File.basename(dir))
        role = puma_role(pid)
        role && { pid: pid, role: role, title: title(pid), rss_mb: rss_mb(pid) }
      end.sort_by { |row| [row[:role] == :master ? 0 : 1, row[:pid]] }
    end
  end
end
