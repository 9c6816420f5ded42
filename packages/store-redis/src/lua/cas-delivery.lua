#!lua
-- Compare-and-set of one command's delivery record and its template's holder (claim.ts decides what to
-- write; this only makes the write atomic and conditional). All keys share the customer's hash tag.
-- KEYS[1] deliveries (hash: command id -> record JSON)
-- KEYS[2] delivered-templates (hash: template -> command id)
-- KEYS[3] delivery-times (sorted set: command id -> delivered at, epoch ms)
-- ARGV: command id, template, expected record ('' = none), expected holder ('' = none),
--       new record ('' = delete), new holder ('' = none), delivered at ('' = not a delivery),
--       delivery times kept since (epoch ms)
local record = redis.call('HGET', KEYS[1], ARGV[1]) or ''
local holder = redis.call('HGET', KEYS[2], ARGV[2]) or ''
if record ~= ARGV[3] or holder ~= ARGV[4] then
  return 0
end
if ARGV[5] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
end
if ARGV[6] == '' then
  redis.call('HDEL', KEYS[2], ARGV[2])
else
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[6])
end
if ARGV[7] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[8])
end
return 1
