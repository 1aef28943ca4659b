-- One benchmark scenario for wrk, configured by the environment (bench/http.py sets it):
--   BENCH_WRK_METHOD   GET or POST
--   BENCH_WRK_HEADERS  "Name: value" lines (cookies, X-Forwarded-Proto, Origin, ...)
--   BENCH_WRK_BODY     path of the request body, sent as is (POST)
--   BENCH_WRK_EXPECT   the statuses that count as success, e.g. "200" or "302"
-- Each response with another status is counted; done() prints one JSON line.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

wrk.method = os.getenv("BENCH_WRK_METHOD") or "GET"
for line in string.gmatch(os.getenv("BENCH_WRK_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end
local body_path = os.getenv("BENCH_WRK_BODY") or ""
if body_path ~= "" then
  local file = assert(io.open(body_path, "rb"))
  wrk.body = file:read("*a")
  file:close()
end

local expected = {}
for code in string.gmatch(os.getenv("BENCH_WRK_EXPECT") or "200", "%d+") do
  expected[tonumber(code)] = true
end

unexpected = 0
statuses = ""

function response(status, headers, body)
  if not expected[status] then
    unexpected = unexpected + 1
    if #statuses < 200 then
      statuses = statuses .. status .. " "
    end
  end
end

function done(summary, latency, requests)
  local bad, seen = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "unexpected": %d, "unexpected_statuses": "%s", '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, bad, seen, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
