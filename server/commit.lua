-- One atomic commit of a batch of changes to one game (see server/store.py).
-- KEYS: state, events, actions, acks, tokens, meta, players, listeners (one hash tag: one slot).
-- ARGV[1]: msgpack map {expect, version, state?, channel, worker, ttl, log?, items = [{token, ack, seat,
--   version, action?, actor, player, events = [[event, audience]], meta?, unmeta?}]}.
-- `worker` is the committing worker's id: its own rooms deliver its commits, so `<seq> <version>` is
-- published only when another worker holds the game (is in `listeners`), or when `worker` is ''.
-- `state`, when sent, is a snapshot of the game after the batch; the state hash then notes the
-- last action it includes (`snap_log`), so a reader replays only the actions after it.
-- Replies {"ok", first_seq, last_seq, the newest action's id, seq after each item...}, {"stale", version},
-- {"missing"}, or {"problems", index, code, earlier ack, ...} when an item cannot go in (its
-- token was revoked, its id was acknowledged before, or seats act while the game is paused):
-- then nothing was written, and the caller answers those items and commits the rest.
local batch = cmsgpack.unpack(ARGV[1])
local state, events, actions, acks, tokens, meta = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local listeners = KEYS[8]

local version = redis.call('HGET', state, 'version')
if not version then
  return {'missing'}
end
if tonumber(version) ~= batch.expect then
  return {'stale', tonumber(version)}
end

local paused = redis.call('HGET', meta, 'paused') == '1'
local problems = {}
for index, item in ipairs(batch.items) do
  if item.token ~= '' and redis.call('HEXISTS', tokens, item.token) == 0 then
    table.insert(problems, index); table.insert(problems, 'revoked'); table.insert(problems, '')
  else
    local earlier = item.ack ~= '' and redis.call('HGET', acks, item.ack)
    if earlier then
      table.insert(problems, index); table.insert(problems, 'repeated'); table.insert(problems, earlier)
    elseif item.seat and paused then
      table.insert(problems, index); table.insert(problems, 'paused'); table.insert(problems, '')
    end
  end
end
if #problems > 0 then
  return {'problems', unpack(problems)}
end

local last_action = ''
if batch.log then
  -- A rollback: the action log is replaced, and acks of undone actions are forgotten.
  redis.call('DEL', actions, acks)
  for _, entry in ipairs(batch.log) do
    last_action = redis.call('XADD', actions, '*', 'actor', entry[1], 'action', entry[2], 'seq', 0, 'player', entry[3])
  end
end

local seq = tonumber(redis.call('HGET', state, 'seq') or '0')
local first = seq + 1
local reply = {'ok', first, 0, ''}
for _, item in ipairs(batch.items) do
  for _, event in ipairs(item.events) do
    seq = seq + 1
    redis.call('XADD', events, seq .. '-0', 'event', event[1], 'audience', event[2], 'by', item.player)
  end
  if item.action then
    last_action = redis.call(
      'XADD', actions, '*', 'actor', item.actor, 'action', item.action, 'seq', seq, 'player', item.player,
      'version', item.version)
  end
  if item.ack ~= '' then
    redis.call('HSET', acks, item.ack, seq .. ' ' .. item.version)
  end
  if item.meta then
    for field, value in pairs(item.meta) do
      redis.call('HSET', meta, field, value)
    end
  end
  if item.unmeta then
    for _, field in ipairs(item.unmeta) do
      redis.call('HDEL', meta, field)
    end
  end
  table.insert(reply, seq)
end
-- The id of the newest action: the state after this batch includes every action up to it.
if last_action == '' then
  local tip = redis.call('XREVRANGE', actions, '+', '-', 'COUNT', 1)
  last_action = tip[1] and tip[1][1] or '0-0'
end
reply[3] = seq
reply[4] = last_action

redis.call('HSET', state, 'version', batch.version, 'seq', seq)
if batch.state then
  redis.call('HSET', state, 'state', batch.state, 'snap_version', batch.version, 'snap_log', last_action)
end
if batch.ttl > 0 then
  for _, key in ipairs(KEYS) do
    redis.call('EXPIRE', key, batch.ttl)
  end
end
local worker = batch.worker or ''
if worker == '' or redis.call('SCARD', listeners) > redis.call('SISMEMBER', listeners, worker) then
  redis.call('PUBLISH', batch.channel, seq .. ' ' .. batch.version)
end
return reply
