# frozen_string_literal: true

require_relative "test_helper"
require "fileutils"

# Rails is not installed on the test machine, so the initializer runs against
# a stand-in that has the one thing it uses: Rails.root. The app layout is the
# one the README asks for: lib/leak_pilot.rb + lib/leak_pilot/ copied into the
# app, the initializer in config/initializers/.
class RailsInitializerTest < Minitest::Test
  include LeakPilotTestHelper

  INITIALIZER = File.expand_path("../rails/config/initializers/leak_pilot.rb", __dir__)

  def make_app(root)
    FileUtils.mkdir_p([File.join(root, "config", "initializers"), File.join(root, "lib")])
    FileUtils.cp_r(File.join(LIB_DIR, "leak_pilot"), File.join(root, "lib", "leak_pilot"))
    FileUtils.cp(File.join(LIB_DIR, "leak_pilot.rb"), File.join(root, "lib", "leak_pilot.rb"))
    FileUtils.cp(INITIALIZER, File.join(root, "config", "initializers", "leak_pilot.rb"))
  end

  def test_the_initializer_loads_the_copied_lib_starts_tracing_and_traps_usr2
    Dir.mktmpdir do |root|
      make_app(root)
      script = <<~RUBY
        require "pathname"
        module Rails
          def self.root = Pathname.new(#{root.inspect})
        end
        load #{File.join(root, "config", "initializers", "leak_pilot.rb").inspect}
        traced = ObjectSpace.allocation_sourcefile(Object.new)
        puts "from=\#{$LOADED_FEATURES.grep(/leak_pilot\\.rb\\z/).first} trap=\#{LeakPilot::SignalTrap.installed?} traced=\#{!traced.nil?}"
      RUBY
      out, err, status = Open3.capture3({ "ENABLE_MEMORY_DEBUGGING" => "true", "LEAKPILOT_DUMP_DIR" => root }, RbConfig.ruby, "-e", script)
      assert status.success?, err
      assert_equal "from=#{root}/lib/leak_pilot.rb trap=true traced=true\n", out
    end
  end
end
