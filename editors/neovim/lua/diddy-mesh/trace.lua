-- The decision trace of diddyMesh/whatRoutesHere (the JSON of `diddy-mesh route --format
-- json`, docs/guide/routing.md) as lines of text, in the order the router decides, like the CLI's
-- text output.
local M = {}

local function is_set(value)
  return value ~= nil and value ~= vim.NIL
end

local function rule_label(rule)
  local label = "#" .. tostring(rule.index)
  if is_set(rule.name) then
    label = label .. " '" .. rule.name .. "'"
  end
  return label
end

local function policy_text(policy)
  local parts = {}
  if is_set(policy.timeout) then
    table.insert(parts, ("timeout %s ms"):format(policy.timeout))
  end
  local retries = policy.retries
  if is_set(retries) and (retries.attempts or 0) > 0 then
    local backoff = retries.backoff or {}
    table.insert(parts, ("retries %s (backoff %s..%s ms, jitter %s, on %s)"):format(
      retries.attempts, tostring(backoff.base), tostring(backoff.max), tostring(backoff.jitter),
      table.concat(retries.retryOn or {}, ", ")))
  elseif is_set(retries) then
    table.insert(parts, "no retries")
  end
  if is_set(policy.forwardPath) then
    table.insert(parts, "forward " .. policy.forwardPath)
  end
  return table.concat(parts, ", ")
end

--- The lines describing `trace`.
---@param trace table
---@return string[]
function M.lines(trace)
  local out = {}
  local request = trace.request or {}
  table.insert(out, ("%s %s"):format(request.method or "GET", request.url or "?"))
  table.insert(out, "  outcome: " .. tostring(trace.outcome))
  for _, skipped in ipairs(trace.skipped or {}) do
    table.insert(out, ("  skipped %s: %s"):format(rule_label(skipped), skipped.reason))
  end
  if is_set(trace.rule) then
    local rule = trace.rule
    local where = ""
    if is_set(rule.range) then
      where = (" (line %d)"):format(rule.range.start.line + 1)
    end
    table.insert(out, ("-> rule %s %s%s"):format(rule_label(rule), rule.path or "", where))
  else
    table.insert(out, "-> no rule matched")
  end
  if is_set(trace.captures) then
    for name, value in pairs(trace.captures) do
      table.insert(out, ("   :%s = %s"):format(name, value))
    end
  end
  if is_set(trace.split) then
    local branches = {}
    for _, branch in ipairs(trace.split.branches or {}) do
      table.insert(branches, ("%s %s%%"):format(branch.service, math.floor(branch.probability * 1000 + 0.5) / 10))
    end
    table.insert(out, ("-> split [%s]: %s (%s)"):format(table.concat(branches, ", "), trace.split.chosen, trace.split.reason))
  end
  if is_set(trace.service) then
    table.insert(out, "-> service " .. trace.service)
    for _, endpoint in ipairs(trace.endpoints or {}) do
      local latency = is_set(endpoint.latencyMs) and (", p50 %s ms"):format(endpoint.latencyMs) or ""
      table.insert(out, ("   %s %s (%s%s, circuit %s): %s"):format(
        endpoint.kept and "+" or "-", endpoint.url, endpoint.status, latency, endpoint.circuit, endpoint.reason))
    end
  end
  if is_set(trace.endpoint) then
    local strategy = ""
    if is_set(trace.strategy) then
      strategy = (" (%s: %s)"):format(trace.strategy.name, trace.strategy.reason)
    end
    table.insert(out, "-> endpoint " .. trace.endpoint .. strategy)
  end
  if trace.panic == true then
    table.insert(out, "   panic: every endpoint was unhealthy, so all were kept")
  end
  if is_set(trace.fallback) then
    if is_set(trace.fallback.service) then
      table.insert(out, "-> fallback service " .. trace.fallback.service)
    else
      table.insert(out, "-> fallback response " .. tostring(trace.fallback.status))
    end
  end
  if is_set(trace.policy) then
    table.insert(out, "   policy: " .. policy_text(trace.policy))
  end
  for _, note in ipairs(trace.notes or {}) do
    table.insert(out, "   note: " .. note)
  end
  return out
end

return M
