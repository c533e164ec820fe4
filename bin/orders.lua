-- wrk script for bin/bench-throughput: POST /orders, each request with a new Idempotency-Key
-- (run prefix from the command line, then thread number and a counter), spread over 16 SKUs.
-- Counts answers by status and prints one JSON line when done.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1] or "bench"
  n = 0
  created = 0
  other = 0
end

function request()
  n = n + 1
  local body = '{"sku":"sku-' .. (n % 16) .. '","quantity":1}'
  return wrk.format("POST", "/orders",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. "-" .. tid .. "-" .. n }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"seconds":%.3f,"requests":%d,"created":%d,"other":%d,"socketErrors":%d,"ordersPerSecond":%.1f,"p50ms":%.2f,"p99ms":%.2f,"maxms":%.2f}\n',
    seconds, summary.requests, c, o,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    c / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
