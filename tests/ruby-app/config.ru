# frozen_string_literal: true

# The leaky test app as Puma loads it. LeakPilot.boot! is what a Rails
# initializer would call: tracing on, and (outside a Puma master) the dump trap.
require File.expand_path(ENV.fetch("LEAKPILOT_LIB", File.expand_path("../../integrations/ruby/lib/leak_pilot.rb", __dir__)))
require_relative "app"

LeakPilot.boot!
run LeakyApp
