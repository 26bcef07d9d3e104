-- Diddy-Mesh for Neovim: starts `diddy-mesh lsp` on mesh configs and adds
-- :DiddyMeshRoute, which shows where a request goes (diddyMesh/whatRoutesHere).
--
--   require("diddy-mesh").setup({
--     cmd = { "diddy-mesh", "lsp" },
--     settings = { registry = "wrangler-local", live = { deadlineMs = 500 } },
--   })
--
-- Works on Neovim 0.7 (Debian bookworm) and later: vim.lsp.start where it exists (0.8+),
-- vim.lsp.start_client with one client per root directory before that.
local detect = require("diddy-mesh.detect")
local trace = require("diddy-mesh.trace")

local M = {}

local NAME = "diddy-mesh"
local WHAT_ROUTES_HERE = "diddyMesh/whatRoutesHere"

M.defaults = {
  -- The server command; a table of words.
  cmd = { "diddy-mesh", "lsp" },
  -- The `diddyMesh` settings of docs/guide/editors.md, as the section itself or wrapped in { diddyMesh = ... }.
  settings = {},
  -- The project root: the nearest directory holding a wrangler config (where the server
  -- finds the KV registry), else the nearest holding .git, else the nearest holding a
  -- diddy-mesh.json(c), else the file's own. Earlier entries win; an entry is a name or a
  -- list of names that count the same.
  root_markers = {
    { "wrangler.toml", "wrangler.json", "wrangler.jsonc" },
    ".git",
    { "diddy-mesh.jsonc", "diddy-mesh.json" },
  },
  -- Passed on to the client.
  on_attach = nil,
  capabilities = nil,
}

M.options = vim.deepcopy(M.defaults)

--- The settings wrapped in their section: { diddyMesh = { ... } }.
---@param settings table|nil
---@return table
function M.section(settings)
  settings = settings or {}
  if settings.diddyMesh ~= nil then
    return settings
  end
  return { diddyMesh = settings }
end

local function file_exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

local function parent(directory)
  local up = vim.fn.fnamemodify(directory, ":h")
  if up == directory then
    return nil
  end
  return up
end

--- The nearest directory, from `start` up, that holds one of `names`; nil when none does.
---@param start string
---@param names string[]
---@return string|nil
local function nearest_holding(start, names)
  local directory = start
  while directory do
    for _, name in ipairs(names) do
      if file_exists(directory .. "/" .. name) then
        return directory
      end
    end
    directory = parent(directory)
  end
  return nil
end

--- The project root of the file at `path`, by the root markers (see M.defaults).
---@param path string
---@param markers table|nil
---@return string
function M.root_dir(path, markers)
  markers = markers or M.options.root_markers
  local start = vim.fn.fnamemodify(path, ":p:h")
  for _, marker in ipairs(markers) do
    local names = type(marker) == "table" and marker or { marker }
    local found = nearest_holding(start, names)
    if found then
      return found
    end
  end
  return start
end

local function has_version(version)
  return vim.fn.has("nvim-" .. version) == 1
end

-- The client names this plugin answers to: its own, and nvim-lspconfig's for a config
-- registered as `diddy_mesh` (see README.md), so :DiddyMeshRoute works with either.
local CLIENT_NAMES = { [NAME] = true, diddy_mesh = true }

--- The running diddy-mesh clients attached to `bufnr`.
---@param bufnr integer
---@return table[]
function M.clients(bufnr)
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  local found = {}
  for _, client in pairs(attached) do
    if CLIENT_NAMES[client.name] then
      table.insert(found, client)
    end
  end
  return found
end

-- What every supported Neovim gets on attach: Neovim 0.8 and later set `omnifunc` for an
-- LSP buffer and 0.10 maps `K` to hover, but 0.7 does neither, so completion with
-- <C-x><C-o> and `K` worked only on newer versions. Nothing the user set is replaced.
local function on_attach(client, bufnr)
  if vim.bo[bufnr].omnifunc == "" then
    vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc"
  end
  if vim.fn.maparg("K", "n") == "" then
    vim.keymap.set("n", "K", vim.lsp.buf.hover, { buffer = bufnr, desc = "diddy-mesh: hover" })
  end
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

local function client_config(root)
  local section = M.section(M.options.settings)
  return {
    name = NAME,
    cmd = M.options.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = section,
    settings = section,
    on_attach = on_attach,
    capabilities = M.options.capabilities or vim.lsp.protocol.make_client_capabilities(),
  }
end

-- Neovim 0.7: one client per root, reused for every buffer under it.
local clients_by_root = {}

--- Starts (or reuses) the server for `bufnr` and attaches it.
---@param bufnr integer|nil
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local path = vim.api.nvim_buf_get_name(bufnr)
  local root = path ~= "" and M.root_dir(path) or vim.loop.cwd()
  local config = client_config(root)
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify("diddy-mesh: could not start " .. table.concat(config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- The window of the last trace shown. With a `focus_id`, `open_floating_preview` focuses a
-- float that is still open instead of showing new lines in it, so a second
-- :DiddyMeshRoute showed the first trace again: the old float is closed first.
local route_window = nil

local function show_lines(lines)
  if route_window and vim.api.nvim_win_is_valid(route_window) then
    vim.api.nvim_win_close(route_window, true)
  end
  local _, window = vim.lsp.util.open_floating_preview(lines, "text", {
    border = "rounded",
    focus_id = "diddy-mesh-route",
    max_width = math.max(40, math.floor(vim.o.columns * 0.9)),
  })
  route_window = window
  return window
end

local function request(client, method, params, handler, bufnr)
  -- Neovim 0.11 made client methods take `self`; before, they were plain functions.
  if has_version("0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- Parses :DiddyMeshRoute's arguments: `URL` or `METHOD URL`.
---@param args string
---@return table|nil request, string|nil error
function M.parse_route_args(args)
  local words = vim.split(vim.trim(args or ""), "%s+")
  if #words == 1 and words[1] == "" then
    return nil, "usage: :DiddyMeshRoute [METHOD] URL"
  end
  local method, url = "GET", words[1]
  if #words == 2 then
    method, url = words[1]:upper(), words[2]
  elseif #words > 2 then
    return nil, "usage: :DiddyMeshRoute [METHOD] URL"
  end
  if not url:match("^https?://[^/]+") then
    return nil, ("'%s' is not an absolute http(s) URL"):format(url)
  end
  return { method = method, url = url }, nil
end

--- Routes a request against the current buffer's unsaved text and shows the decision
--- trace in a floating window. `on_done(lines_or_nil, error_or_nil)` hears the outcome.
---@param args string `URL` or `METHOD URL`
---@param on_done function|nil
function M.route(args, on_done)
  local bufnr = vim.api.nvim_get_current_buf()
  local function finish(lines, err)
    if err then
      vim.notify("diddy-mesh: " .. err, vim.log.levels.ERROR)
    end
    if on_done then
      on_done(lines, err)
    end
  end
  local route_request, parse_error = M.parse_route_args(args)
  if not route_request then
    return finish(nil, parse_error)
  end
  local client = M.clients(bufnr)[1]
  if not client then
    return finish(nil, "no diddy-mesh server is attached to this buffer")
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, request = route_request }
  request(client, WHAT_ROUTES_HERE, params, function(err, result)
    if err then
      return finish(nil, err.message or vim.inspect(err))
    end
    local lines = trace.lines(result)
    show_lines(lines)
    finish(lines, nil)
  end, bufnr)
end

--- Configures the plugin: filetype detection and the server on mesh config buffers
--- (:DiddyMeshRoute is defined by plugin/diddy-mesh.lua). Options are those of M.defaults.
---@param opts table|nil
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  if opts and opts.root_markers then
    M.options.root_markers = opts.root_markers
  end
  if opts and opts.cmd then
    M.options.cmd = opts.cmd
  end
  if vim.filetype and vim.filetype.add then
    local filenames, patterns = {}, {}
    for _, name in ipairs(detect.filenames) do
      filenames[name] = detect.filetype
    end
    for _, pattern in ipairs(detect.patterns) do
      patterns[pattern] = detect.filetype
    end
    vim.filetype.add({ filename = filenames, pattern = patterns })
  end
  local group = vim.api.nvim_create_augroup("diddy-mesh", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = detect.filetype,
    callback = function(event)
      M.attach(event.buf)
    end,
  })
  -- Buffers opened before setup ran (a plugin manager loading late).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == detect.filetype then
      M.attach(bufnr)
    end
  end
end

return M
