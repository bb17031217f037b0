-- Give up the election lease if the caller still holds it with this token.
-- KEYS[1]  lease key (superpeer:lease:<name>), value "<holder>\n<token>"
-- ARGV[1]  holder id
-- ARGV[2]  fencing token the caller was granted
-- Output:  1 if released, 0 if it was not (or no longer) the caller's.
if redis.call('GET', KEYS[1]) == ARGV[1] .. '\n' .. ARGV[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
