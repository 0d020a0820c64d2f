# frozen_string_literal: true

# Runs the integration's whole Minitest suite: `ruby integrations/ruby/test/run.rb`.
Dir[File.join(__dir__, "*_test.rb")].sort.each { |file| require file }
