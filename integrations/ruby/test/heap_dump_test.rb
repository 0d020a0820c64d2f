# frozen_string_literal: true

require_relative "test_helper"
require "json"
require "stringio"
require "leak_pilot"

class HeapDumpTest < Minitest::Test
  include LeakPilotTestHelper

  def capture_stderr
    original = $stderr
    $stderr = StringIO.new
    result = yield
    [result, $stderr.string]
  ensure
    $stderr = original
  end

  def test_writes_a_complete_json_lines_dump_under_its_final_name_and_logs_heap_dump
    Dir.mktmpdir do |dir|
      path, log = capture_stderr { LeakPilot::HeapDump.dump!(dir: dir) }
      assert_equal [File.basename(path)], Dir.children(dir), "only the final .json remains, no .tmp"
      match = DUMP_NAME.match(File.basename(path))
      assert_equal Process.pid, Integer(match[1])
      assert_in_delta Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond), Integer(match[2]), 60_000
      lines = File.readlines(path)
      assert_operator lines.size, :>, 1000
      assert(lines.all? { |line| line.end_with?("\n") })
      assert_equal "ROOT", JSON.parse(lines.first)["type"]
      JSON.parse(lines.last)
      assert_match(/\AHEAP_DUMP pid=#{Process.pid} path=#{Regexp.escape(path)} bytes=#{File.size(path)} seconds=\d+\.\d{3} gc_count=\d+\n\z/, log)
    end
  end

  def test_a_failed_dump_returns_nil_logs_heap_dump_failed_and_leaves_no_file
    Dir.mktmpdir do |dir|
      missing = File.join(dir, "missing")
      path, log = capture_stderr { LeakPilot::HeapDump.dump!(dir: missing) }
      assert_nil path
      assert_match(/\AHEAP_DUMP_FAILED pid=#{Process.pid} error="Errno::ENOENT: /, log)
      assert_empty Dir.children(dir)
    end
  end

  def test_dump_dir_defaults_to_tmp_and_follows_leakpilot_dump_dir
    original = ENV.delete("LEAKPILOT_DUMP_DIR")
    assert_equal "/tmp", LeakPilot::Config.dump_dir
    ENV["LEAKPILOT_DUMP_DIR"] = "/var/dumps"
    assert_equal "/var/dumps", LeakPilot::Config.dump_dir
  ensure
    original ? ENV["LEAKPILOT_DUMP_DIR"] = original : ENV.delete("LEAKPILOT_DUMP_DIR")
  end
end
