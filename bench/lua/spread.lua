-- POST /api/create_token, each request authenticated by one of the tokens in a file (one a line), taken in turn
-- per thread, each thread starting at its own place in the list. With a one-line file it is one user's token on
-- every request; with the 100 users' tokens the creations spread over 100 owners (whose rows the application
-- locks one at a time). Answers are counted as in status.lua, whose result line this prints too.
--   wrk -t THREADS -s spread.lua URL -- 200 TOKENS_FILE THREADS
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "status.lua")

-- Main state: number the threads.
local next_id = 0
local status_setup = setup
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  status_setup(thread)
end

local requests = {}
local position = 1

-- Each thread's state: the whole request for every token is formatted once here, not per request.
local status_init = init
function init(args)
  status_init(args)
  local file = assert(io.open(args[2], "r"), "cannot read the tokens file " .. tostring(args[2]))
  for token in file:lines() do
    if token ~= "" then
      table.insert(requests, wrk.format("POST", "/api/create_token", { ["Authorization"] = "Token " .. token }))
    end
  end
  file:close()
  assert(#requests > 0, "no token in " .. args[2])
  -- wrk tells a thread neither how many threads there are nor, before init, anything else: run.sh passes it.
  local thread_count = tonumber(args[3]) or 1
  position = math.floor(id * #requests / thread_count) % #requests + 1
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end
