-- Extend the election lease if the caller still holds it with this token.
-- KEYS[1]  lease key (superpeer:lease:<name>), value "<holder>\n<token>"
-- ARGV[1]  holder id
-- ARGV[2]  fencing token the caller was granted
-- ARGV[3]  ttl in ms
-- Output:  1 if extended, 0 if the lease expired or belongs to another grant.
if redis.call('GET', KEYS[1]) == ARGV[1] .. '\n' .. ARGV[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
