-- Acquire the election lease, or re-confirm it for its current holder.
-- KEYS[1]  lease key   (superpeer:lease:<name>), value "<holder>\n<token>"
-- KEYS[2]  fence key   (superpeer:fence:<name>), integer counter, never expires
-- ARGV[1]  holder id
-- ARGV[2]  ttl in ms
-- Output:  the fencing token (integer) if the caller holds the lease now, else false (nil).
--          A new grant always takes a new, larger token; the holder re-acquiring keeps
--          its token and gets its TTL extended.
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, '\n', 1, true)
  if string.sub(current, 1, sep - 1) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(string.sub(current, sep + 1))
  end
  return false
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '\n' .. token, 'PX', ARGV[2])
return token
