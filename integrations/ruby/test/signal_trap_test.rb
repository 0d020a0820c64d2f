# frozen_string_literal: true

require_relative "test_helper"

# Each scenario is a child Ruby process that prints what happened on stdout.
class SignalTrapTest < Minitest::Test
  include LeakPilotTestHelper

  # Sends USR2 to itself and waits for either a dump or the foreign handler.
  SELF_SIGNAL = <<~RUBY
    def self_signal(dir)
      Process.kill("USR2", Process.pid)
      40.times { break if Dir.children(dir).any? { |n| n.end_with?(".json") } || $foreign_ran; sleep 0.05 }
      sleep 0.2
      puts "dumps=\#{Dir.children(dir).count { |n| n.end_with?(".json") }} foreign=\#{$foreign_ran ? 1 : 0}"
    end
  RUBY

  def in_tmpdir(&block)
    Dir.mktmpdir(&block)
  end

  def test_boot_installs_the_trap_in_a_plain_process_and_usr2_writes_one_dump
    in_tmpdir do |dir|
      out, err, status = run_ruby(<<~RUBY, "LEAKPILOT_DUMP_DIR" => dir)
        require "leak_pilot"
        #{SELF_SIGNAL}
        puts "boot=\#{LeakPilot.boot!} trap=\#{LeakPilot::SignalTrap.installed?}"
        self_signal(#{dir.inspect})
      RUBY
      assert status.success?, err
      assert_equal "boot=true trap=true\ndumps=1 foreign=0\n", out
      assert_match(/^HEAP_DUMP pid=\d+ path=#{Regexp.escape(dir)}\/heap_dump_signal_/, err)
    end
  end

  def test_does_nothing_unless_enable_memory_debugging_is_true
    out, err, status = run_ruby(<<~RUBY, "ENABLE_MEMORY_DEBUGGING" => "1")
      require "leak_pilot"
      puts "boot=\#{LeakPilot.boot!} worker=\#{LeakPilot.worker_boot!} trap=\#{LeakPilot::SignalTrap.installed?}"
      puts "previous=\#{Signal.trap("USR2", "DEFAULT").inspect}"
    RUBY
    assert status.success?, err
    assert_equal "boot=false worker=false trap=false\nprevious=\"DEFAULT\"\n", out
    assert_empty err
  end

  def test_never_traps_in_a_marked_puma_master_and_keeps_pumas_handler
    in_tmpdir do |dir|
      out, err, status = run_ruby(<<~RUBY, "LEAKPILOT_DUMP_DIR" => dir)
        require "leak_pilot"
        #{SELF_SIGNAL}
        Signal.trap("USR2") { $foreign_ran = true }
        LeakPilot.puma_master!
        puts "install=\#{LeakPilot::SignalTrap.install!(force: true)}"
        self_signal(#{dir.inspect})
      RUBY
      assert status.success?, err
      assert_equal "install=puma_master\ndumps=0 foreign=1\n", out
      assert_match(/not trapping USR2 in this process \(puma_master\)/, err)
    end
  end

  def test_a_marked_master_whose_cluster_check_says_single_mode_traps_a_free_signal
    in_tmpdir do |dir|
      out, err, status = run_ruby(<<~RUBY, "LEAKPILOT_DUMP_DIR" => dir)
        require "leak_pilot"
        #{SELF_SIGNAL}
        LeakPilot.puma_master!(cluster: -> { false })
        puts "boot=\#{LeakPilot.boot!} trap=\#{LeakPilot::SignalTrap.installed?}"
        self_signal(#{dir.inspect})
      RUBY
      assert status.success?, err
      assert_equal "boot=true trap=true\ndumps=1 foreign=0\n", out
    end
  end

  def test_a_cluster_check_that_raises_counts_as_a_master
    out, err, status = run_ruby(<<~RUBY)
      require "leak_pilot"
      LeakPilot.puma_master!(cluster: -> { raise "no Puma configuration" })
      puts "install=\#{LeakPilot::SignalTrap.install!}"
    RUBY
    assert status.success?, err
    assert_equal "install=puma_master\n", out
  end

  def test_refuses_to_replace_a_handler_it_did_not_install_unless_forced
    in_tmpdir do |dir|
      out, err, status = run_ruby(<<~RUBY, "LEAKPILOT_DUMP_DIR" => dir)
        require "leak_pilot"
        #{SELF_SIGNAL}
        Signal.trap("USR2") { $foreign_ran = true }
        puts "boot=\#{LeakPilot.boot!} install=\#{LeakPilot::SignalTrap.install!}"
        self_signal(#{dir.inspect})
      RUBY
      assert status.success?, err
      assert_equal "boot=true install=foreign_handler\ndumps=0 foreign=1\n", out
    end
  end

  def test_worker_boot_in_a_forked_child_dumps_the_child_while_the_master_keeps_its_handler
    in_tmpdir do |dir|
      out, err, status = run_ruby(<<~RUBY, "LEAKPILOT_DUMP_DIR" => dir)
        require "leak_pilot"
        #{SELF_SIGNAL}
        Signal.trap("USR2") { $foreign_ran = true } # Puma's hot restart stand-in
        LeakPilot.puma_master!
        LeakPilot.boot!
        reader, writer = IO.pipe
        child = fork do
          reader.close
          LeakPilot.worker_boot!
          writer.puts "ready"
          sleep 30
        end
        writer.close
        reader.gets
        Process.kill("USR2", child)
        40.times { break if Dir.children(#{dir.inspect}).any? { |n| n.start_with?("heap_dump_signal_\#{child}_") && n.end_with?(".json") }; sleep 0.05 }
        Process.kill("KILL", child)
        Process.wait(child)
        puts "child_dumps=\#{Dir.children(#{dir.inspect}).count { |n| n.start_with?("heap_dump_signal_\#{child}_") }}"
        self_signal(#{dir.inspect})
      RUBY
      assert status.success?, err
      assert_equal "child_dumps=1\ndumps=1 foreign=1\n", out, "one dump, of the child; the master's USR2 still ran its own handler"
    end
  end

  def test_leakpilot_dump_signal_selects_another_signal
    in_tmpdir do |dir|
      out, err, status = run_ruby(<<~RUBY, "LEAKPILOT_DUMP_DIR" => dir, "LEAKPILOT_DUMP_SIGNAL" => "SIGTTIN")
        require "leak_pilot"
        LeakPilot.boot!
        Process.kill("TTIN", Process.pid)
        40.times { break if Dir.children(#{dir.inspect}).any? { |n| n.end_with?(".json") }; sleep 0.05 }
        puts "usr2_handler=\#{Signal.trap("USR2", "DEFAULT").inspect} dumps=\#{Dir.children(#{dir.inspect}).size}"
      RUBY
      assert status.success?, err
      assert_equal "usr2_handler=\"DEFAULT\" dumps=1\n", out
      assert_match(/kill -TTIN \d+ writes a heap dump/, err)
    end
  end
end
