-- Create or refresh one supernode directory entry; bump the directory version
-- only when its content changed, so readers re-read only what changed.
-- KEYS[1]  entry key     (superpeer:supernode:<id>), JSON
-- KEYS[2]  expiry zset   (superpeer:supernodes:expiry), id -> expiry ms
-- KEYS[3]  changes zset  (superpeer:supernodes:changes), id -> version of last change
-- KEYS[4]  version key   (superpeer:supernodes:version)
-- KEYS[5]  removed zset  (superpeer:supernodes:removed), id -> version of removal
-- ARGV[1]  supernode id
-- ARGV[2]  entry JSON
-- ARGV[3]  ttl in ms
-- Output:  the new version when the entry changed, 0 when only its ttl was extended.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
if old == ARGV[2] then
  return 0
end
-- A fresh (or restarted) store starts its versions at the clock: a reader
-- holding a version from before a restart is never mistaken for up to date.
if redis.call('EXISTS', KEYS[4]) == 0 then
  redis.call('SET', KEYS[4], now)
end
local v = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[3], v, ARGV[1])
if not old then
  redis.call('ZREM', KEYS[5], ARGV[1])
end
return v
