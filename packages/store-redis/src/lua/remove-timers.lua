#!lua
-- Removes timers from a shard after the timer service produced their `timer.fired` events, from both
-- the customer's timer hash and the shard's index. In a script because the check and the removal must
-- not be split: a commit may reschedule a timer (same id, new due time) between the timer service
-- reading it and removing it, and the rescheduled timer must survive.
-- Checks come before writes, as in commit.lua: an error after a write would keep the write.
--
-- KEYS: 1 shard timer index (zset), 2.. the timer hash of each timer's customer (one per timer)
-- ARGV: triples (timer id, index member, guard), guard being
--   ''        remove unconditionally
--   a number  remove only if the index still has the timer due at exactly that time
--   'orphan'  remove the index member only if the customer's hash has no such timer (an index entry
--             without its timer can never fire, and would fill every `dueTimers` answer)
-- Reply: how many index entries were removed.

if #ARGV ~= (#KEYS - 1) * 3 then
  error({ err = 'TACTFUL_INVALID expected one (timer id, member, guard) triple per timer hash key' })
end
for i = 1, #KEYS do
  local expected = (i == 1) and 'zset' or 'hash'
  local actual = redis.call('TYPE', KEYS[i]).ok
  if actual ~= 'none' and actual ~= expected then
    error({ err = 'TACTFUL_INVALID ' .. KEYS[i] .. ' is a ' .. actual .. ', expected a ' .. expected })
  end
end
for i = 1, #KEYS - 1 do
  local guard = ARGV[i * 3]
  if guard ~= '' and guard ~= 'orphan' and tonumber(guard) == nil then
    error({ err = 'TACTFUL_INVALID guard of timer ' .. ARGV[i * 3 - 2] .. ' is not a number' })
  end
end

local removed = 0
for i = 1, #KEYS - 1 do
  local hash, timer_id, member, guard = KEYS[i + 1], ARGV[i * 3 - 2], ARGV[i * 3 - 1], ARGV[i * 3]
  local remove
  if guard == '' then
    remove = true
  elseif guard == 'orphan' then
    remove = redis.call('HEXISTS', hash, timer_id) == 0
  else
    local score = redis.call('ZSCORE', KEYS[1], member)
    remove = score ~= false and tonumber(score) == tonumber(guard)
  end
  if remove then
    if guard ~= 'orphan' then redis.call('HDEL', hash, timer_id) end
    removed = removed + redis.call('ZREM', KEYS[1], member)
  end
end
return removed
