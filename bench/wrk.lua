-- wrk script for bench/speed.py: POSTs one GraphQL body, and reports the run as one JSON line.
--
--   wrk ... -s bench/wrk.lua URL -- BODY_FILE [unique]
--
-- BODY_FILE holds the JSON body; with `unique`, each request replaces the placeholder
-- `ALIAS` in it by an alias no other request used (thread number and counter), so the
-- document is new every time and no document, plan or result cache can answer it.
-- Without `unique`, every request sends the same bytes.

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a")
  file:close()
  unique = args[2] == "unique"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if unique then
    before, after = body:match("^(.-)ALIAS(.*)$")
    assert(before, "the body has no ALIAS placeholder")
    counter = 0
  else
    wrk.body = body
    same_request = wrk.format()
  end
end

function request()
  if not unique then
    return same_request
  end
  counter = counter + 1
  local alias = "q" .. thread_number .. "_" .. counter
  return wrk.format(nil, nil, nil, before .. alias .. after)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, ' ..
    '"timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
