-- Token bucket, one atomic call per request. Time is the Redis server's (TIME), never a client clock.
-- KEYS[1] bucket key; ARGV[1] burst (capacity), ARGV[2] refill rate (tokens per second), ARGV[3] tokens requested.
-- Returns {allowed (0/1), tokens remaining (floor), micros until the request could be served (0 if allowed),
--          micros until the bucket is full again}.
if redis.replicate_commands then pcall(redis.replicate_commands) end
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local requested = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate / 1000000)
end
local allowed = 0
local wait = 0
if tokens >= requested then
  tokens = tokens - requested
  allowed = 1
else
  wait = math.ceil((requested - tokens) * 1000000 / rate)
end
local full = math.ceil((capacity - tokens) * 1000000 / rate)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%d', math.max(now, ts)))
redis.call('PEXPIRE', KEYS[1], math.ceil(full / 1000) + 1000)
return {allowed, math.floor(tokens), wait, full}
