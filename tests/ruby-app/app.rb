# frozen_string_literal: true

require "socket"

# The project's own small leaky Rack app, for tests/puma-loop.test.ts. Each
# endpoint allocates a KNOWN number of objects per request that stay alive,
# each at a known line of this file, so the test can assert exact counts for
# "allocated between dump 1 and dump 2, still alive in dump 3":
#
#   GET /events?n=N   leak (a): 3 objects per request kept in EventLog.events,
#                     a class-level Array: an Event (OBJECT), its name (STRING)
#                     and its payload (HASH)
#   GET /cache?n=N    leak (b): 2 objects per request in ReportCache::STORE, a
#                     Hash that only grows: the key and the body (STRINGs)
#   GET /socket?n=N   leak (c): 1 UDPSocket (FILE) per request kept in the
#                     global $leaked_sockets; each holds a file descriptor
#   GET /health       no leak: allocates 100 strings (`# no-leak:health`), retains nothing
#
# Each leaking allocation is on a line ending in a `# leak:<id>` marker; the
# test finds the allocation sites by those markers, not by line numbers.
# Every response carries the serving worker's pid (X-Worker-Pid header and
# body), so the driver can count requests per worker exactly.

class Event
  attr_reader :name, :payload

  def initialize(name, payload)
    @name = name
    @payload = payload
  end
end

module EventLog
  @events = []

  class << self
    attr_reader :events

    def track(sequence)
      name = "event-#{sequence}-#{Process.pid}" # leak:a-name
      payload = { sequence: sequence, page: sequence % 40 } # leak:a-payload
      events << Event.new(name, payload) # leak:a-event
    end
  end
end

module ReportCache
  STORE = {}

  def self.fetch(sequence)
    key = "report-#{sequence}".freeze # leak:b-key
    STORE[key] ||= "row,#{sequence}," * 64 # leak:b-body
  end
end

$leaked_sockets = []

module LeakyApp
  def self.call(env)
    sequence = Integer(env["QUERY_STRING"].to_s[/(?:\A|&)n=(\d+)/, 1] || 0)
    case env["PATH_INFO"]
    when "/events" then EventLog.track(sequence)
    when "/cache" then ReportCache.fetch(sequence)
    when "/socket" then leak_socket
    when "/health" then health(sequence)
    else return [404, { "content-type" => "text/plain" }, ["not found\n"]]
    end
    pid = Process.pid.to_s
    [200, { "content-type" => "application/json", "x-worker-pid" => pid }, [%({"pid":#{pid}}\n)]]
  end

  def self.leak_socket
    $leaked_sockets << UDPSocket.new # leak:c-socket
  end

  def self.health(sequence)
    Array.new(50) { |i| "tmp-#{sequence}-#{i}" }.map(&:upcase).size # no-leak:health
  end
end
