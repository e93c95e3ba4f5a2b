-- wrk script: POST /api/meetings with ATTENDEES (10) distinct attendees drawn from u-1 .. u-USERS (1000); the organizer
-- is one of them. AUTH says how the caller is named:
--   bearer  Authorization: Bearer <token>, the organizer's line "<userId> <jwt>" of the file TOKENS (the gateway)
--   header  X-User-Id, with GATEWAY_TOKEN in X-Gateway-Token when set (straight to a service)
-- Prints "RESULT created=<201s> other=<other answers and socket errors> seconds=<duration>" at the end.
local users = tonumber(os.getenv("USERS") or "1000")
local attendees = tonumber(os.getenv("ATTENDEES") or "10")
local auth = os.getenv("AUTH") or "header"
local gatewayToken = os.getenv("GATEWAY_TOKEN")
local tokens = {}
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	created, other = 0, 0
	math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
	if auth == "bearer" then
		for line in io.lines(os.getenv("TOKENS")) do
			local user, token = line:match("^(%S+) (%S+)$")
			tokens[user] = token
		end
	end
end

function request()
	local picked, ids = {}, {}
	while #ids < attendees do
		local n = math.random(users)
		if not picked[n] then
			picked[n] = true
			ids[#ids + 1] = '"u-' .. n .. '"'
		end
	end
	local organizer = ids[1]:sub(2, -2)
	local headers = { ["Content-Type"] = "application/json" }
	if auth == "bearer" then
		headers["Authorization"] = "Bearer " .. tokens[organizer]
	else
		headers["X-User-Id"] = organizer
		headers["X-Gateway-Token"] = gatewayToken
	end
	local body = '{"title":"Design review","startAt":"2027-03-01T10:00:00+09:00","endAt":"2027-03-01T11:00:00+09:00",'
		.. '"location":"Room 3F-A","attendees":[' .. table.concat(ids, ",") .. ']}'
	return wrk.format("POST", "/api/meetings", headers, body)
end

function response(status)
	if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary)
	local c, o = 0, 0
	for _, thread in ipairs(threads) do
		c = c + thread:get("created")
		o = o + thread:get("other")
	end
	local e = summary.errors
	io.write(string.format("RESULT created=%d other=%d seconds=%.3f\n", c, o + e.connect + e.read + e.write + e.timeout,
		summary.duration / 1e6))
end
