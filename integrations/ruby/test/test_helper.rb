# frozen_string_literal: true

# Shared helpers of the integration's own Minitest suite (run.rb runs it all).
# Scenarios that touch signal handlers run in a child `ruby` process, so the
# test process's own handlers never change.
require "minitest/autorun"
require "open3"
require "tmpdir"
require "rbconfig"

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))

module LeakPilotTestHelper
  LIB_DIR = File.expand_path("../lib", __dir__)
  DUMP_NAME = /\Aheap_dump_signal_(\d+)_(\d{13})\.json\z/

  # Runs `script` in a fresh Ruby with lib/ on the load path; returns [stdout, stderr, status].
  def run_ruby(script, env = {})
    Open3.capture3({ "ENABLE_MEMORY_DEBUGGING" => "true" }.merge(env), RbConfig.ruby, "-I", LIB_DIR, "-e", script)
  end

  # Polls for finished dumps in dir (Ruby side of the wait the agent does).
  def wait_for_dumps(dir, count, timeout_seconds: 30)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout_seconds
    loop do
      names = Dir.children(dir).grep(DUMP_NAME)
      return names.sort if names.size >= count
      return names.sort if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.05
    end
  end
end
