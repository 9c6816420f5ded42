#!lua
-- Commits what one event did to one customer: state, processed event id, ledger, timers, outbox,
-- audit. Redis runs a script without interleaving any other command, which makes the commit atomic,
-- with one exception: a script that fails AFTER a write keeps that write. So this script is built in
-- two phases: phase 1 reads and checks everything that could make it stop (arguments, key types,
-- duplicate, version, halts, ledger) and phase 2 only writes, with arguments already proven valid.
-- The `#!lua` line makes Redis 7 refuse the whole script up front when it is out of memory, instead of
-- failing at a write half-way.
--
-- KEYS, all with the shard's hash tag, so all in one cluster slot:
--   1 state (hash v, s)   2 events (zset)   3 ledger (set)   4 outbox (hash)   5 outbox order (list)
--   6 audit (list)   7 timers (hash)   8 halts (hash)   9 shard timer index (zset)
--  10 shard outbox-pending (set)   11 shard counters (hash)
-- ARGV: 1 customer id, 2 expected version, 3 event id, 4 state JSON, 5 event ids kept, 6 audit kept,
--   7 halt marks seen ('' = not checked), then counted groups, each a count followed by its items:
--   ledger (template) | cancels (timer id, index member) | adds (timer id, index member, due, JSON)
--   | outbox (command id, JSON) | audit (JSON) | counters (name, signed integer delta)
-- Replies: {'committed', version} | {'duplicate'} | {'conflict', version, 'version'|'halts'}
--   | {'ledger_violation', template}; an error starting with TACTFUL_INVALID for a malformed call.

local function invalid(message)
  error({ err = 'TACTFUL_INVALID ' .. message })
end

local function integer(value, what)
  local n = tonumber(value)
  if n == nil or n ~= math.floor(n) or n < 0 then invalid(what .. ' must be an integer >= 0') end
  return n
end

-- Phase 1: read and check. No write may happen above the "Phase 2" line.

local cursor = 8
local function group(width, what)
  local count = integer(ARGV[cursor], what .. ' count')
  local first = cursor + 1
  cursor = first + count * width
  if cursor - 1 > #ARGV then invalid(what .. ' group runs past the arguments') end
  return first, count
end

local expected = integer(ARGV[2], 'expected version')
local kept_events = integer(ARGV[5], 'event ids kept')
local kept_audit = integer(ARGV[6], 'audit kept')
if kept_events < 1 or kept_audit < 1 then invalid('kept limits must be >= 1') end
local ledger_at, ledger_n = group(1, 'ledger')
local cancel_at, cancel_n = group(2, 'cancel')
local add_at, add_n = group(4, 'timer')
local outbox_at, outbox_n = group(2, 'outbox')
local audit_at, audit_n = group(1, 'audit')
local counter_at, counter_n = group(2, 'counter')
if cursor - 1 ~= #ARGV then invalid('unexpected arguments after the counter group') end
for i = 0, add_n - 1 do
  -- ZADD refuses a non-numeric score; found here, it cannot interrupt phase 2
  local due = tonumber(ARGV[add_at + i * 4 + 2])
  if due == nil or due ~= due or due == math.huge or due == -math.huge then
    invalid('timer ' .. ARGV[add_at + i * 4] .. ' has no numeric due time')
  end
end
for i = 0, counter_n - 1 do
  -- HINCRBY refuses anything but an integer; found here, it cannot interrupt phase 2
  local delta = ARGV[counter_at + i * 2 + 1]
  if not string.match(delta, '^%-?%d+$') or string.len(delta) > 18 then
    invalid('counter ' .. ARGV[counter_at + i * 2] .. ' has no integer delta')
  end
end

-- A key of the wrong type (written by hand, or by another program) would make a write fail with
-- WRONGTYPE after earlier writes went through; refuse it now.
local types = { 'hash', 'zset', 'set', 'hash', 'list', 'list', 'hash', 'hash', 'zset', 'set', 'hash' }
for i, expected_type in ipairs(types) do
  local actual = redis.call('TYPE', KEYS[i]).ok
  if actual ~= 'none' and actual ~= expected_type then
    invalid(KEYS[i] .. ' is a ' .. actual .. ', expected a ' .. expected_type)
  end
end

-- Duplicate before conflict: a retry of a commit whose reply was lost carries a stale version, and the
-- right answer to it is "already done", not "reload and redo".
if redis.call('ZSCORE', KEYS[2], ARGV[3]) then return { 'duplicate' } end

local version = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if version ~= expected then return { 'conflict', version, 'version' } end

-- A halt mark added since the caller loaded means its decisions may send into a halted journey.
if ARGV[7] ~= '' and redis.call('HLEN', KEYS[8]) ~= integer(ARGV[7], 'halts seen') then
  return { 'conflict', version, 'halts' }
end

-- Invariant 3's last line of defence: a template already sent, or sent twice by this very commit.
local in_batch = {}
for i = ledger_at, ledger_at + ledger_n - 1 do
  local template = ARGV[i]
  if in_batch[template] or redis.call('SISMEMBER', KEYS[3], template) == 1 then
    return { 'ledger_violation', template }
  end
  in_batch[template] = true
end

-- Phase 2: write. Every command below has been shown able to succeed.

local next_version = version + 1
redis.call('HSET', KEYS[1], 'v', next_version, 's', ARGV[4])

-- The halt sentinel's mark for this event has done its job once the event itself is applied; left in
-- place it would keep suppressing sends after an opt-in or in journeys entered later.
redis.call('HDEL', KEYS[8], ARGV[3])

-- The event id is scored with the version that processed it, so trimming keeps the newest ids.
redis.call('ZADD', KEYS[2], next_version, ARGV[3])
local processed = redis.call('ZCARD', KEYS[2])
if processed > kept_events then
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, processed - kept_events - 1)
end

for i = ledger_at, ledger_at + ledger_n - 1 do
  redis.call('SADD', KEYS[3], ARGV[i])
end

-- Cancels before adds, so "cancel t, add t" in one commit reschedules t.
for i = 0, cancel_n - 1 do
  redis.call('HDEL', KEYS[7], ARGV[cancel_at + i * 2])
  redis.call('ZREM', KEYS[9], ARGV[cancel_at + i * 2 + 1])
end
for i = 0, add_n - 1 do
  local at = add_at + i * 4
  redis.call('HSET', KEYS[7], ARGV[at], ARGV[at + 3])
  redis.call('ZADD', KEYS[9], ARGV[at + 2], ARGV[at + 1])
end

-- A command id already pending is the same decision made again (ids are deterministic): keep one.
for i = 0, outbox_n - 1 do
  local at = outbox_at + i * 2
  if redis.call('HSETNX', KEYS[4], ARGV[at], ARGV[at + 1]) == 1 then
    redis.call('RPUSH', KEYS[5], ARGV[at])
  end
end
if outbox_n > 0 then redis.call('SADD', KEYS[10], ARGV[1]) end

if audit_n > 0 then
  for i = audit_at, audit_at + audit_n - 1 do
    redis.call('RPUSH', KEYS[6], ARGV[i])
  end
  redis.call('LTRIM', KEYS[6], -kept_audit, -1)
end

for i = 0, counter_n - 1 do
  redis.call('HINCRBY', KEYS[11], ARGV[counter_at + i * 2], ARGV[counter_at + i * 2 + 1])
end

return { 'committed', next_version }
