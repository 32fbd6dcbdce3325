-- wrk script for bench/load.py: counts answers that are not 2xx (wrk itself counts only >= 400),
-- prints one JSON line of results, and, when BENCH_LUA_DATA names a data file, sends writes.
--
-- The data file (written by bench/load.py) sets BENCH = {headers = {...}, mode = "cycle" | "create_delete",
-- threads = N, items = {{path = ..., body = ...}, ...}, delete_prefix = "/api/quotes/"}.
-- "cycle" sends the items in turn (an empty body: none, as for a GET); "create_delete" POSTs an item, then DELETEs what it created (the id
-- is read from the answer), so the table stays the size it was.

local data_file = os.getenv("BENCH_LUA_DATA")
if data_file and data_file ~= "" then dofile(data_file) end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

function init(args)
  bad = 0          -- answers outside 2xx
  first_bad = ""   -- the first one's status, for the error message
  next_item = thread_number or 1   -- each thread takes every BENCH.threads-th item: no two send the same
  created = {}     -- ids created and not deleted yet
end

function request()
  if not BENCH then return wrk.request() end
  if BENCH.mode == "create_delete" and #created > 0 then
    local id = table.remove(created, 1)
    return wrk.format("DELETE", BENCH.delete_prefix .. id .. "/", BENCH.headers, nil)
  end
  local item = BENCH.items[next_item]
  next_item = next_item + BENCH.threads
  if next_item > #BENCH.items then next_item = thread_number end
  local body = item.body
  if body == "" then body = nil end
  return wrk.format(BENCH.method, item.path, BENCH.headers, body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == "" then first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200) end
  elseif BENCH and BENCH.mode == "create_delete" and status == 201 then
    local id = string.match(body, '"id"%s*:%s*(%d+)')
    if id then table.insert(created, id) end
  end
end

function done(summary, latency, requests)
  local bad_total, first = 0, ""
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if first == "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "not_2xx": %d, "first_not_2xx": "%s", ' ..
    '"socket_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, bad_total,
    string.gsub(first, '[%c"\\]', " "), e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
