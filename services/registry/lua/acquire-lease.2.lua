-- Acquire the election lease when it is free.
-- KEYS[1]  lease key   (superpeer:lease:<name>), value "<holder>\n<token>"
-- KEYS[2]  fence key   (superpeer:fence:<name>), integer counter, never expires
-- ARGV[1]  holder id
-- ARGV[2]  ttl in ms
-- ARGV[3]  largest token ever granted (tokens stay exact integers on every client)
-- Output:  the new fencing token (integer) if the lease was free; false (nil) if
--          anyone holds it — its holder too: a holder keeps its lease with
--          renew-lease and its token, so a name alone never yields a token.
--          An error if the fence counter is not a counter or is used up.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return false
end
local fence = redis.call('GET', KEYS[2])
if fence and not string.match(fence, '^%d+$') then
  return redis.error_reply('FENCE_CORRUPT the fence counter holds ' .. string.sub(fence, 1, 32))
end
if fence and tonumber(fence) >= tonumber(ARGV[3]) then
  return redis.error_reply('FENCE_EXHAUSTED the fence counter reached ' .. ARGV[3])
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '\n' .. token, 'PX', ARGV[2])
return token
