--[[
Checks, consumes and reconciles all four windows of one organization atomically.

KEYS (all share the organization's hash tag, so they live in one cluster slot):
  KEYS[1]  window   ZSET  requestId -> instant in ms it was counted; entries stay for the
                          retention period so a late usage record can still find its check
  KEYS[2]  tokens   HASH  requestId -> tokens counted for that entry (estimate, then actual)
  KEYS[3]  state    HASH  last (ms, clock never goes back), cursor (ms, entries at or before
                          it have left the minute window), sum (tokens of live entries),
                          day (UTC day number), dreq, dtok (today's totals)
  KEYS[4]  buckets  HASH  tokens of live entries per second (field: second), per 10 ms
                          (field: "c" .. ms / 10) and per ms (field: "m" .. ms); lets a TPM
                          denial find when enough tokens leave by reading at most 61 + 100 + 10
                          fields, however many entries the window holds

ARGV:
  [1] now in ms, or "" to use the Redis server clock (production always passes "")
  [2] requests per minute  [3] tokens per minute  [4] requests per day  [5] tokens per day
  [6] retention of entries in ms (>= 60000)
  [7] number of operations n, then n triples: kind, requestId, tokens
      kind "C": check and consume `tokens` as the estimate
      kind "U": usage; replace the entry's tokens by the actual `tokens`, or count it as of
                now when no entry exists

Reply: n arrays, one per operation, then a final summary array.
  operation: {code, reason, retryAfterMs, minuteRequests, minuteTokens, dayRequests, dayTokens}
    code 1 allowed, 0 denied, 2 duplicate of an allowed check, 3 reconciled, 4 counted as new
    reason 0 none, 1 RPM, 2 TPM, 3 daily requests, 4 daily tokens, 5 request too large
    retryAfterMs -1 when waiting cannot help
  summary: {now, minuteRequests, minuteTokens, dayRequests, dayTokens, minuteResetMs,
            dayResetMs}

Numbers travel as strings formatted with %d: Lua numbers are doubles, exact up to 2^53, and
Redis would otherwise print large ones in exponent form. Limits are compared by subtraction
(limit - used) so that no intermediate sum passes 2^53.
]]

local WINDOW_MS = 60000
local DAY_MS = 86400000

local function int(n)
  return string.format('%d', n)
end

-- The bucket levels of KEYS[4], coarse to fine: width in ms and field prefix.
local LEVELS = {{1000, ''}, {10, 'c'}, {1, 'm'}}

local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end

local rpm, tpm = tonumber(ARGV[2]), tonumber(ARGV[3])
local rpd, tpd = tonumber(ARGV[4]), tonumber(ARGV[5])
local retention = tonumber(ARGV[6])
local opCount = tonumber(ARGV[7])

local windowKey, tokensKey, stateKey, bucketsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

-- Adds `amount` (negative to remove) to every bucket that holds instant `at`. A bucket that
-- reaches zero is deleted: only live tokens occupy fields.
local function addToBuckets(at, amount)
  for _, level in ipairs(LEVELS) do
    local field = level[2] .. int(math.floor(at / level[1]))
    if redis.call('HINCRBY', bucketsKey, field, int(amount)) <= 0 then
      redis.call('HDEL', bucketsKey, field)
    end
  end
end

local st = redis.call('HMGET', stateKey, 'last', 'cursor', 'sum', 'day', 'dreq', 'dtok')
local last = tonumber(st[1]) or 0
if now < last then
  now = last
end
local cursor = tonumber(st[2]) or 0
local sum = tonumber(st[3]) or 0
local today = math.floor(now / DAY_MS)
local dreq, dtok = 0, 0
if tonumber(st[4]) == today then
  dreq = tonumber(st[5]) or 0
  dtok = tonumber(st[6]) or 0
end

local edge = now - WINDOW_MS -- entries at or before this instant no longer count

if redis.call('EXISTS', windowKey) == 0 then
  -- Every entry expired with the key, so nothing is live.
  sum = 0
  redis.call('DEL', bucketsKey)
elseif edge > cursor then
  -- Retire entries that left the minute window since the last call, a page at a time so
  -- that no single command returns an unbounded list. Entries stay in the window key until
  -- the retention period ends, so paging by offset sees each of them once.
  local from = '(' .. int(cursor)
  local offset = 0
  while true do
    local gone = redis.call('ZRANGEBYSCORE', windowKey, from, int(edge), 'WITHSCORES',
      'LIMIT', offset, 500)
    if #gone == 0 then
      break
    end
    local ids = {}
    for i = 1, #gone, 2 do
      ids[#ids + 1] = gone[i]
    end
    local amounts = redis.call('HMGET', tokensKey, unpack(ids))
    for i = 1, #ids do
      local amount = tonumber(amounts[i]) or 0
      sum = sum - amount
      addToBuckets(tonumber(gone[i * 2]), -amount)
    end
    offset = offset + #ids
    if #ids < 500 then
      break
    end
  end
end
cursor = math.max(cursor, edge)
if sum < 0 then
  sum = 0
end

-- Entries past the retention period are dropped for good.
local stale = redis.call('ZRANGEBYSCORE', windowKey, '-inf', int(now - retention), 'LIMIT', 0, 1000)
if #stale > 0 then
  redis.call('ZREM', windowKey, unpack(stale))
  redis.call('HDEL', tokensKey, unpack(stale))
end

local liveCount = redis.call('ZCOUNT', windowKey, '(' .. int(edge), '+inf')
local msToDayEnd = (today + 1) * DAY_MS - now
local wrote = false

local function count(id, tokens, at)
  redis.call('ZADD', windowKey, int(at), id)
  redis.call('HSET', tokensKey, id, int(tokens))
  addToBuckets(at, tokens)
  sum = sum + tokens
  liveCount = liveCount + 1
  dreq = dreq + 1
  dtok = dtok + tokens
  wrote = true
end

-- Wait until enough entries leave for one more request: the (need)-th live entry's expiry.
local function requestWait(need)
  local retired = redis.call('ZCOUNT', windowKey, '-inf', int(edge))
  local hit = redis.call('ZRANGE', windowKey, retired + need - 1, retired + need - 1, 'WITHSCORES')
  if #hit == 0 then
    return WINDOW_MS
  end
  return tonumber(hit[2]) + WINDOW_MS - now
end

-- Wait until at least `need` tokens have left: at each bucket level, walk the buckets of the
-- live range oldest first, and narrow the range to the one where the running total reaches
-- `need`. The finest level leaves one millisecond: the instant of the entry that frees enough.
local function tokenWait(need)
  local low, high = edge + 1, now
  for _, level in ipairs(LEVELS) do
    local width, prefix = level[1], level[2]
    local first = math.floor(low / width)
    local fields = {}
    for bucket = first, math.floor(high / width) do
      fields[#fields + 1] = prefix .. int(bucket)
    end
    local sums = redis.call('HMGET', bucketsKey, unpack(fields))
    local freed, found = 0, nil
    for i = 1, #fields do
      local inBucket = tonumber(sums[i]) or 0
      if freed + inBucket >= need then
        found = first + i - 1
        break
      end
      freed = freed + inBucket
    end
    if found == nil then
      return WINDOW_MS
    end
    need = need - freed
    low = math.max(low, found * width)
    high = math.min(high, found * width + width - 1)
  end
  return low + WINDOW_MS - now
end

local function check(id, estimate)
  local at = redis.call('ZSCORE', windowKey, id)
  if at and tonumber(at) > edge then
    return 2, 0, -1
  end
  if rpm == 0 then return 0, 1, -1 end
  if tpm == 0 then return 0, 2, -1 end
  if rpd == 0 then return 0, 3, -1 end
  if tpd == 0 then return 0, 4, -1 end
  if estimate > tpm or estimate > tpd then
    return 0, 5, -1
  end

  local reason, wait = 0, -1
  local function exceeded(r, w)
    if w > wait then
      reason, wait = r, w
    end
  end
  if liveCount >= rpm then
    exceeded(1, requestWait(liveCount - rpm + 1))
  end
  if estimate > tpm - sum then
    exceeded(2, tokenWait(estimate - (tpm - sum)))
  end
  if dreq >= rpd then
    exceeded(3, msToDayEnd)
  end
  if estimate > tpd - dtok then
    exceeded(4, msToDayEnd)
  end
  if reason ~= 0 then
    return 0, reason, wait
  end

  count(id, estimate, now)
  return 1, 0, -1
end

local function reconcile(id, actual)
  local previous = tonumber(redis.call('HGET', tokensKey, id) or '')
  if previous == nil then
    count(id, actual, now)
    return 4
  end
  local at = tonumber(redis.call('ZSCORE', windowKey, id) or '')
  if at == nil then
    redis.call('HDEL', tokensKey, id)
    count(id, actual, now)
    return 4
  end
  local delta = actual - previous
  redis.call('HSET', tokensKey, id, int(actual))
  if at > edge then
    sum = sum + delta
    addToBuckets(at, delta)
  end
  if math.floor(at / DAY_MS) == today then
    dtok = dtok + delta
  end
  wrote = true
  return 3
end

local replies = {}
for i = 0, opCount - 1 do
  local kind = ARGV[8 + i * 3]
  local id = ARGV[9 + i * 3]
  local tokens = tonumber(ARGV[10 + i * 3])
  local code, reason, wait = 0, 0, -1
  if kind == 'C' then
    code, reason, wait = check(id, tokens)
  else
    code = reconcile(id, tokens)
  end
  replies[#replies + 1] = {code, reason, int(wait), liveCount, int(sum), int(dreq), int(dtok)}
end

local minuteReset = 0
if liveCount > 0 then
  local newest = redis.call('ZRANGE', windowKey, -1, -1, 'WITHSCORES')
  if #newest > 0 then
    minuteReset = math.max(0, tonumber(newest[2]) + WINDOW_MS - now)
  end
end

redis.call('HSET', stateKey, 'last', int(now), 'cursor', int(cursor), 'sum', int(sum),
  'day', int(today), 'dreq', int(dreq), 'dtok', int(dtok))
redis.call('PEXPIRE', stateKey, int(math.max(msToDayEnd, retention) + WINDOW_MS))
if wrote then
  local ttl = int(retention + 1000)
  redis.call('PEXPIRE', windowKey, ttl)
  redis.call('PEXPIRE', tokensKey, ttl)
  redis.call('PEXPIRE', bucketsKey, ttl)
end

replies[#replies + 1] = {int(now), liveCount, int(sum), int(dreq), int(dtok), int(minuteReset),
  int(msToDayEnd)}
return replies
