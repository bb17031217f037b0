-- The election's bounded view: per zone, the best few eligible candidates
-- whose reports are still live, and how many peers wait without a supernode.
-- Stale members are pruned on the way; zones with nothing left are dropped.
-- KEYS[1]  zones set (superpeer:zones:all)
-- ARGV[1]  key prefix (superpeer:); per-zone keys are <prefix>candidates:<zone>,
--          <prefix>waiting:<zone>, entries <prefix>candidate:<id> (a single Redis, not a cluster)
-- ARGV[2]  candidates per zone
-- ARGV[3]  most zones looked at
-- Output:  {{zone, waiting, json, json, ...}, ...}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local per = tonumber(ARGV[2])
local zones = redis.call('SRANDMEMBER', KEYS[1], tonumber(ARGV[3]))
local out = {}
for _, z in ipairs(zones) do
  local wkey = ARGV[1] .. 'waiting:' .. z
  local ckey = ARGV[1] .. 'candidates:' .. z
  redis.call('ZREMRANGEBYSCORE', wkey, '-inf', now)
  local row = {z, redis.call('ZCARD', wkey)}
  local start = 0
  -- Pages of the ranking until `per` live entries (a bounded number of pages).
  for _ = 1, 4 do
    if #row - 2 >= per then break end
    local ids = redis.call('ZREVRANGE', ckey, start, start + per - 1)
    if #ids == 0 then break end
    local keys = {}
    for i, id in ipairs(ids) do keys[i] = ARGV[1] .. 'candidate:' .. id end
    local values = redis.call('MGET', unpack(keys))
    local dead = {}
    for i, id in ipairs(ids) do
      if values[i] then
        if #row - 2 < per then row[#row + 1] = values[i] end
      else
        dead[#dead + 1] = id
      end
    end
    if #dead > 0 then redis.call('ZREM', ckey, unpack(dead)) end
    start = start + #ids - #dead
  end
  if row[2] == 0 and #row == 2 and redis.call('ZCARD', ckey) == 0 then
    redis.call('SREM', KEYS[1], z)
  else
    out[#out + 1] = row
  end
end
return out
