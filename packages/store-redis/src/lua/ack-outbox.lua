#!lua
-- Removes relayed commands from a customer's outbox. In a script because the customer must leave the
-- shard's outbox-pending set in the same step as its last command leaves the outbox: done as two
-- commands, a commit could add a command in between and the customer would drop out of recovery.
-- Checks come before writes, as in commit.lua: an error after a write would keep the write.
--
-- KEYS: 1 outbox (hash id -> JSON), 2 outbox order (list of ids), 3 shard outbox-pending (set)
-- ARGV: 1 customer id, 2.. command ids (unknown ids are ignored: acks are retried after crashes)
-- Reply: how many commands were removed.

local types = { 'hash', 'list', 'set' }
for i, expected in ipairs(types) do
  local actual = redis.call('TYPE', KEYS[i]).ok
  if actual ~= 'none' and actual ~= expected then
    error({ err = 'TACTFUL_INVALID ' .. KEYS[i] .. ' is a ' .. actual .. ', expected a ' .. expected })
  end
end

local removed = 0
for i = 2, #ARGV do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
    redis.call('LREM', KEYS[2], 1, ARGV[i])
    removed = removed + 1
  end
end
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[1])
end
return removed
