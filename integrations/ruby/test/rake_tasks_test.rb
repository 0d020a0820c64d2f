# frozen_string_literal: true

require_relative "test_helper"

class RakeTasksTest < Minitest::Test
  include LeakPilotTestHelper

  RAKEFILE = File.expand_path("../lib/tasks/leak_pilot.rake", __dir__)

  def rake(*args, env: {})
    Open3.capture3(env, "rake", "-f", RAKEFILE, *args)
  end

  def test_heap_dump_without_a_pid_dumps_the_rake_process_and_prints_the_path
    Dir.mktmpdir do |dir|
      out, err, status = rake("memory:heap_dump", env: { "LEAKPILOT_DUMP_DIR" => dir })
      assert status.success?, err
      assert_match(%r{\A#{Regexp.escape(dir)}/heap_dump_signal_\d+_\d{13}\.json\n\z}, out)
      assert File.size(out.chomp).positive?
    end
  end

  def test_heap_dump_with_a_pid_signals_that_process_and_waits_for_its_dump
    Dir.mktmpdir do |dir|
      env = { "ENABLE_MEMORY_DEBUGGING" => "true", "LEAKPILOT_DUMP_DIR" => dir }
      script = %(require "leak_pilot"; LeakPilot.boot!; $stdout.puts "ready"; $stdout.flush; sleep 30)
      Open3.popen3(env, RbConfig.ruby, "-I", LIB_DIR, "-e", script) do |_in, child_out, _err, waiter|
        assert_equal "ready\n", child_out.gets
        out, err, status = rake("memory:heap_dump[#{waiter.pid}]", env: env)
        assert status.success?, err
        assert_match(%r{\A#{Regexp.escape(dir)}/heap_dump_signal_#{waiter.pid}_\d{13}\.json\n\z}, out)
      ensure
        Process.kill("KILL", waiter.pid)
      end
    end
  end
end
