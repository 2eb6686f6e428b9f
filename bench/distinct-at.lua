-- wrk: every request asks for another `at` (a second later than the one before, from now
-- on), so none is answered from ringback-web's snapshot cache: the cost of a fresh answer.
local base = os.time()
local counter = 0
request = function()
    counter = counter + 1
    return wrk.format(nil, wrk.path .. "&at=" .. os.date("!%Y-%m-%dT%H:%M:%SZ", base + counter))
end
