-- Record the election leader's decision for one node, fenced by the lease token.
-- KEYS[1]  role key (superpeer:role:<nodeId>), value "<role>\n<token>"
-- ARGV[1]  role: "supernode" | "leaf"
-- ARGV[2]  fencing token of the leader's lease
-- ARGV[3]  ttl in ms
-- Output:  1 if written, 0 if a decision with a larger token is already there.
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '\n', 1, true)
  if sep and tonumber(string.sub(cur, sep + 1)) > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '\n' .. ARGV[2], 'PX', ARGV[3])
return 1
