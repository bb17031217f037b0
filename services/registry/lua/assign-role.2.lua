-- Record the election leader's decision for one node, fenced by the lease.
-- KEYS[1]  role key  (superpeer:role:<nodeId>), value "<role>\n<token>"
-- KEYS[2]  lease key (superpeer:lease:<name>), value "<holder>\n<token>"
-- ARGV[1]  role: "supernode" | "leaf"
-- ARGV[2]  fencing token of the leader's lease
-- ARGV[3]  ttl in ms
-- ARGV[4]  tokens are below this (the fence never grants more)
-- Output:  1 if written; 0 if ARGV[2] is not the token of the lease held now
--          (a deposed leader, or a token never granted). Whatever token an
--          earlier decision carries, the current leader's decision replaces it.
if not string.match(ARGV[2], '^%d+$') or tonumber(ARGV[2]) >= tonumber(ARGV[4]) then
  return 0
end
local lease = redis.call('GET', KEYS[2])
if not lease then
  return 0
end
local sep = string.find(lease, '\n', 1, true)
if not sep or string.sub(lease, sep + 1) ~= ARGV[2] then
  return 0
end
if ARGV[1] ~= 'supernode' and ARGV[1] ~= 'leaf' then
  return redis.error_reply('BAD_ROLE ' .. string.sub(ARGV[1], 1, 32))
end
redis.call('SET', KEYS[1], ARGV[1] .. '\n' .. ARGV[2], 'PX', ARGV[3])
return 1
