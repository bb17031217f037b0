-- Remove one supernode directory entry and remember the removal for readers.
-- KEYS[1]  entry key     (superpeer:supernode:<id>)
-- KEYS[2]  expiry zset   (superpeer:supernodes:expiry)
-- KEYS[3]  changes zset  (superpeer:supernodes:changes)
-- KEYS[4]  version key   (superpeer:supernodes:version)
-- KEYS[5]  removed zset  (superpeer:supernodes:removed)
-- ARGV[1]  supernode id
-- Output:  the new version, or 0 when there was no such entry.
redis.call('DEL', KEYS[1])
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[3], ARGV[1])
local v = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[5], v, ARGV[1])
return v
