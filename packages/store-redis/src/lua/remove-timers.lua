#!lua
-- Removes timers from a shard's index after the timer service produced their `timer.fired` events. In a
-- script because the check and the removal must not be split: a commit may reschedule a timer (same id,
-- new due time) between the timer service reading it and removing it, and the rescheduled timer must
-- survive. The timer itself stays in its customer's record until the orchestrator applies the
-- `timer.fired` event (or a commit cancels it).
--
-- KEYS: 1 the shard's timer index (zset)
-- ARGV: pairs (member, guard), guard being '' (remove unconditionally) or a due time (remove only if the
--   index still has the member due at exactly that time)
-- Reply: how many index entries were removed.

local removed = 0
for i = 1, #ARGV, 2 do
  local member, guard = ARGV[i], ARGV[i + 1]
  local remove = guard == ''
  if not remove then
    local score = redis.call('ZSCORE', KEYS[1], member)
    remove = score ~= false and tonumber(score) == tonumber(guard)
  end
  if remove then removed = removed + redis.call('ZREM', KEYS[1], member) end
end
return removed
