# frozen_string_literal: true

# Puma config of the leaky test app: cluster mode on loopback, with
# LeakPilot's Puma snippet loaded as a user would (instance_eval of the file).
#   PORT (required), WEB_CONCURRENCY (2), PUMA_THREADS (2), PUMA_PRELOAD (true)
app_dir = __dir__
ENV["LEAKPILOT_LIB"] ||= File.expand_path("../../integrations/ruby/lib/leak_pilot.rb", app_dir)

directory app_dir
rackup File.join(app_dir, "config.ru")
workers Integer(ENV.fetch("WEB_CONCURRENCY", 2))
threads_count = Integer(ENV.fetch("PUMA_THREADS", 2))
threads threads_count, threads_count
bind "tcp://127.0.0.1:#{Integer(ENV.fetch('PORT'))}"
environment "production"
tag "leakpilot-ruby-app"
preload_app! if ENV.fetch("PUMA_PRELOAD", "true") == "true"

snippet = File.expand_path("../../integrations/ruby/puma/leak_pilot.rb", app_dir)
instance_eval(File.read(snippet), snippet)
