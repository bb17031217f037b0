-- Incremental read of the supernode directory: entries changed and ids
-- removed since the reader's version. Expired entries are pruned first (as
-- removals), and only a bounded number of removals is remembered.
-- KEYS[1]  expiry zset   (superpeer:supernodes:expiry), id -> expiry ms
-- KEYS[2]  changes zset  (superpeer:supernodes:changes), id -> version of last change
-- KEYS[3]  version key   (superpeer:supernodes:version)
-- KEYS[4]  removed zset  (superpeer:supernodes:removed), id -> version of removal
-- KEYS[5]  floor key     (superpeer:supernodes:floor): removals up to it are forgotten
-- ARGV[1]  the reader's version (0: read everything)
-- ARGV[2]  prefix of entry keys (superpeer:supernode:)
-- ARGV[3]  most removals remembered
-- Output:  {version} when nothing changed; else {version, full (0|1), {id, json, ...}, {removed id, ...}}.
--          Entry keys are built from ARGV[2]: this store is a single Redis, not a cluster.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000)
if #expired > 0 then
  for _, id in ipairs(expired) do
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    redis.call('DEL', ARGV[2] .. id)
    local v = redis.call('INCR', KEYS[3])
    redis.call('ZADD', KEYS[4], v, id)
  end
  local excess = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[3])
  if excess > 0 then
    local last = redis.call('ZRANGE', KEYS[4], excess - 1, excess - 1, 'WITHSCORES')
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, excess - 1)
    redis.call('SET', KEYS[5], last[2])
  end
end
local version = tonumber(redis.call('GET', KEYS[3]) or '0')
local since = tonumber(ARGV[1])
if since == version and since > 0 then
  return {version}
end
local floor = tonumber(redis.call('GET', KEYS[5]) or '0')
local full = since <= 0 or since > version or since < floor
local ids
local removed = {}
if full then
  ids = redis.call('ZRANGE', KEYS[2], 0, -1)
else
  ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. since, '+inf')
  removed = redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. since, '+inf')
end
local entries = {}
if #ids > 0 then
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = ARGV[2] .. id end
  local values = redis.call('MGET', unpack(keys))
  for i, id in ipairs(ids) do
    if values[i] then
      entries[#entries + 1] = id
      entries[#entries + 1] = values[i]
    end
  end
end
return {version, full and 1 or 0, entries, removed}
