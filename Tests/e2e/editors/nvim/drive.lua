-- Drives a real Neovim through one job and writes what it saw as JSON, then quits.
-- Run as `nvim --headless --clean -u minimal_init.lua FILE -c "luafile drive.lua"` with:
--   DIDDY_NVIM_JOB     a JSON file: {"timeoutMs": N, "steps": [...]}
--   DIDDY_NVIM_RESULT  where the result JSON goes
-- Steps (positions are 0-based, UTF-16 like LSP's default):
--   {"kind": "diagnostics"}                       waits for diagnostics to arrive and settle
--   {"kind": "completion", "line": L, "character": C}
--   {"kind": "hover", "line": L, "character": C, "untilContains": "text"?}
--   {"kind": "route", "args": "GET https://..."}  runs :DiddyMeshRoute, reads the float
-- Every wait is bounded (vim.wait), and a failing step records its error instead of
-- stopping the run, so the test always gets a result file to read.
local job = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv("DIDDY_NVIM_JOB")), "\n"))
local result_path = os.getenv("DIDDY_NVIM_RESULT")
local timeout = job.timeoutMs or 15000
local plugin = require("diddy-mesh")
local bufnr = vim.api.nvim_get_current_buf()

local result = {
  nvimVersion = tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch),
  file = vim.api.nvim_buf_get_name(bufnr),
  filetype = vim.bo[bufnr].filetype,
  attached = false,
  steps = {},
  errors = {},
}

local function write_result()
  local file = assert(io.open(result_path, "w"))
  file:write(vim.fn.json_encode(result))
  file:close()
end

local function our_client()
  return plugin.clients(bufnr)[1]
end

local function request_sync(method, params)
  local client = our_client()
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not responses then
    error(method .. ": no answer within " .. timeout .. " ms")
  end
  local response = responses[client.id]
  if not response then
    error(method .. ": the diddy-mesh client did not answer")
  end
  if response.err or response.error then
    error(method .. ": " .. vim.inspect(response.err or response.error))
  end
  return response.result
end

local function position_params(step)
  return {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = step.line, character = step.character },
  }
end

local function diagnostic_code(diagnostic)
  if diagnostic.code ~= nil then
    return diagnostic.code
  end
  local lsp = diagnostic.user_data and diagnostic.user_data.lsp
  return lsp and lsp.code or vim.NIL
end

local function hover_text(hover)
  if hover == nil or hover == vim.NIL then
    return vim.NIL
  end
  local contents = hover.contents
  if type(contents) == "string" then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == "string" and part or part.value)
  end
  return table.concat(parts, "\n")
end

local steps = {}

function steps.diagnostics()
  local last_count, stable_since = -1, vim.loop.now()
  -- Settled: at least one diagnostic, and the count unchanged for 500 ms.
  vim.wait(timeout, function()
    local count = #vim.diagnostic.get(bufnr)
    if count ~= last_count then
      last_count, stable_since = count, vim.loop.now()
    end
    return count > 0 and vim.loop.now() - stable_since >= 500
  end, 50)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(found, {
      code = diagnostic_code(diagnostic),
      line = diagnostic.lnum,
      col = diagnostic.col,
      endLine = diagnostic.end_lnum,
      endCol = diagnostic.end_col,
      severity = diagnostic.severity,
      message = diagnostic.message,
    })
  end
  return { diagnostics = found }
end

function steps.completion(step)
  local completion = request_sync("textDocument/completion", position_params(step))
  local items = completion and (completion.items or completion) or {}
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end
  return { labels = labels }
end

function steps.hover(step)
  local text = vim.NIL
  local deadline = vim.loop.now() + timeout
  repeat
    text = hover_text(request_sync("textDocument/hover", position_params(step)))
    local done = step.untilContains == nil
      or (text ~= vim.NIL and text:find(step.untilContains, 1, true) ~= nil)
    if done then
      break
    end
    vim.wait(200)
  until vim.loop.now() > deadline
  return { text = text }
end

function steps.route(step)
  -- Through the Ex command, as a user runs it; the plugin's route function is wrapped to
  -- learn when the answer is in and what the command made of it.
  local done, lines, err = false, nil, nil
  local route = plugin.route
  plugin.route = function(args, on_done)
    return route(args, function(route_lines, route_error)
      done, lines, err = true, route_lines, route_error
      if on_done then
        on_done(route_lines, route_error)
      end
    end)
  end
  -- A refused request is an error message of the command, which pcall catches.
  local ran, command_error = pcall(vim.cmd, "DiddyMeshRoute " .. step.args)
  plugin.route = route
  vim.wait(timeout, function()
    return done
  end, 50)
  if not done then
    error("DiddyMeshRoute: no answer within " .. timeout .. " ms" .. (ran and "" or (": " .. command_error)))
  end
  -- What the user sees: the lines of the floating window the command opened.
  local float_lines = vim.NIL
  local floats = 0
  for _, window in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(window).relative ~= "" then
      floats = floats + 1
      float_lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(window), 0, -1, false)
    end
  end
  return {
    lines = lines or vim.NIL,
    error = err or vim.NIL,
    commandError = ran and vim.NIL or tostring(command_error),
    floatLines = float_lines,
    floats = floats,
  }
end

local ok, failure = pcall(function()
  result.attached = vim.wait(timeout, function()
    local client = our_client()
    return client ~= nil and client.initialized == true
  end, 50)
  if not result.attached then
    error("the diddy-mesh server did not attach within " .. timeout .. " ms")
  end
  local client = our_client()
  result.client = { name = client.name, rootDir = client.config.root_dir, cmd = client.config.cmd }
  result.filetype = vim.bo[bufnr].filetype
  -- on_attach runs once the server answered initialize; give it that moment.
  vim.wait(timeout, function()
    return vim.bo[bufnr].omnifunc ~= ""
  end, 20)
  result.omnifunc = vim.bo[bufnr].omnifunc
  local hover_key = vim.fn.maparg("K", "n", false, true)
  result.hoverKeyIsBufferLocal = type(hover_key) == "table" and hover_key.buffer == 1
  for index, step in ipairs(job.steps or {}) do
    local step_ok, value = pcall(steps[step.kind], step)
    if step_ok then
      value.kind = step.kind
      result.steps[index] = value
    else
      result.steps[index] = { kind = step.kind, error = tostring(value) }
      table.insert(result.errors, ("step %d (%s): %s"):format(index, step.kind, tostring(value)))
    end
  end
end)
if not ok then
  table.insert(result.errors, tostring(failure))
end
write_result()
vim.cmd("qa!")
