-- Common to every wrk run of the benchmark: counts the answers by status, and at the end prints one
-- machine-readable line that run.sh reads, beside wrk's own human report:
--   BENCHRESULT requests=N duration_us=N rps=R p50_us=N p99_us=N socket_errors=N statuses=401:N,429:N expected_rate=R
-- expected_rate is the share of answers with the status the case expects, given as the script's first argument:
--   wrk ... -s status.lua URL -- 401
-- The requests themselves stay wrk's static ones (no request() here); the response() callback costs every case
-- alike, the baseline included.

local threads = {}

-- Main state: keep the threads, to collect their counts in done().
function setup(thread)
  table.insert(threads, thread)
end

-- Each thread's state; globals, so that done() in the main state can read them with thread:get.
counts = {}
expected_status = 200

function init(args)
  expected_status = tonumber(args[1]) or 200
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, matching, seen, want = 0, 0, {}, nil
  for _, thread in ipairs(threads) do
    want = want or thread:get("expected_status")
    for status, n in pairs(thread:get("counts")) do
      seen[status] = (seen[status] or 0) + n
      total = total + n
    end
  end
  local parts = {}
  for status, n in pairs(seen) do
    table.insert(parts, status .. ":" .. n)
    if status == want then matching = n end
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    "BENCHRESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d socket_errors=%d statuses=%s expected_rate=%.4f\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout,
    #parts > 0 and table.concat(parts, ",") or "none", total > 0 and matching / total or 0))
end

