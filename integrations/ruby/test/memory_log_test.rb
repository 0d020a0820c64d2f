# frozen_string_literal: true

require_relative "test_helper"
require "stringio"
require "leak_pilot"

class MemoryLogTest < Minitest::Test
  include LeakPilotTestHelper

  def vm_rss_mb
    Integer(File.read("/proc/self/status")[/^VmRSS:\s+(\d+) kB/, 1]) / 1024.0
  end

  def test_rss_mb_reads_vmrss_from_proc_self_status
    assert_in_delta vm_rss_mb, LeakPilot::ProcStatus.rss_mb, 2.0
  end

  def test_rss_mb_is_nil_for_a_process_that_does_not_exist
    assert_nil LeakPilot::ProcStatus.rss_mb(2**22 + 7)
  end

  def test_check_logs_high_memory_at_or_above_the_threshold_and_nothing_below
    original = $stderr
    $stderr = StringIO.new
    LeakPilot::MemoryLog.check(1.0)
    LeakPilot::MemoryLog.check(1_000_000.0)
    log = $stderr.string
    $stderr = original
    assert_match(/\AHIGH_MEMORY pid=#{Process.pid} rss_mb=\d+\.\d threshold_mb=1\.0\n\z/, log)
  ensure
    $stderr = original
  end

  def test_the_thread_logs_periodically_in_a_booted_process
    out, err, status = run_ruby(<<~RUBY, "HIGH_MEMORY_MB" => "1", "HIGH_MEMORY_INTERVAL_SECONDS" => "0.05")
      require "leak_pilot"
      LeakPilot.boot!
      sleep 0.5
      puts "second_start=\#{LeakPilot::MemoryLog.start!.inspect}"
    RUBY
    assert status.success?, err
    assert_equal "second_start=nil\n", out
    assert_operator err.scan(/^HIGH_MEMORY pid=\d+ rss_mb=[\d.]+ threshold_mb=1\.0$/).size, :>=, 3
  end

  def test_high_memory_is_off_without_a_positive_threshold
    %w[0 -5 abc].push(nil).each do |value|
      value ? ENV["HIGH_MEMORY_MB"] = value : ENV.delete("HIGH_MEMORY_MB")
      assert_nil LeakPilot::Config.high_memory_threshold_mb, value.inspect
    end
  ensure
    ENV.delete("HIGH_MEMORY_MB")
  end
end
