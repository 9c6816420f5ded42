#!lua
-- Commits a group of customers at once (README.md, "The commit protocol"): every new record, the halt
-- marks applied, the timer index changes, the group's outbox and its counters. Redis runs a script
-- without interleaving any other command; a script that fails after a write keeps that write, so
-- every check is in phase 1, before the first write. The arguments were validated once, in TypeScript,
-- and are not checked again here.
-- The `#!lua` line makes Redis 7 refuse the whole script up front when it is out of memory, instead of
-- failing at a write half-way.
--
-- KEYS: 1 outbox (hash)   2 counters (hash)   then per customer: record (string), halts (hash),
--   its shard's timer index (zset)
-- ARGV: 1 outbox field   2 outbox value ('' = nothing to relay)   3 counter count, then (name, delta)
--   pairs; then the customer count, then per customer: expected version, halt marks seen, the new
--   record, then counted groups: halt ids to delete | index members to remove | (due, member) to add
-- Replies: {'committed'} | {'conflict', customer index (1-based), 'version'|'halts', ...}

local cursor = 4 + 2 * tonumber(ARGV[3])
local customers = tonumber(ARGV[cursor])
cursor = cursor + 1

-- Phase 1: read and check. No write may happen above the "Phase 2" line.

local plans = {}
local conflicts = {}
for i = 1, customers do
  local plan = { record = KEYS[3 * i], halts = KEYS[3 * i + 1], index = KEYS[3 * i + 2] }
  local expected, seen = tonumber(ARGV[cursor]), tonumber(ARGV[cursor + 1])
  plan.value = ARGV[cursor + 2]
  cursor = cursor + 3
  plan.clear_at, plan.clear_n = cursor + 1, tonumber(ARGV[cursor])
  cursor = cursor + 1 + plan.clear_n
  plan.remove_at, plan.remove_n = cursor + 1, tonumber(ARGV[cursor])
  cursor = cursor + 1 + plan.remove_n
  plan.add_at, plan.add_n = cursor + 1, tonumber(ARGV[cursor])
  cursor = cursor + 1 + 2 * plan.add_n
  plans[i] = plan
  -- the version is the record's leading digits: read without the rest of the record
  local head = redis.call('GETRANGE', plan.record, 0, 19)
  local version = tonumber(string.match(head, '^(%d+):') or '0')
  if version ~= expected then
    conflicts[#conflicts + 1] = i
    conflicts[#conflicts + 1] = 'version'
  elseif redis.call('HLEN', plan.halts) ~= seen then
    -- a halt mark added since the load: the decisions may send into a halted journey (invariant 4)
    conflicts[#conflicts + 1] = i
    conflicts[#conflicts + 1] = 'halts'
  end
end
if #conflicts > 0 then
  table.insert(conflicts, 1, 'conflict')
  return conflicts
end

-- Phase 2: write.

for _, plan in ipairs(plans) do
  redis.call('SET', plan.record, plan.value)
  if plan.clear_n > 0 then
    redis.call('HDEL', plan.halts, unpack(ARGV, plan.clear_at, plan.clear_at + plan.clear_n - 1))
  end
  if plan.remove_n > 0 then
    redis.call('ZREM', plan.index, unpack(ARGV, plan.remove_at, plan.remove_at + plan.remove_n - 1))
  end
  if plan.add_n > 0 then
    redis.call('ZADD', plan.index, unpack(ARGV, plan.add_at, plan.add_at + 2 * plan.add_n - 1))
  end
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
for i = 4, 3 + 2 * tonumber(ARGV[3]), 2 do
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
end
return { 'committed' }
