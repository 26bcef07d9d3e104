-- Which files are mesh configs (docs/guide/config-reference.md): diddy-mesh.json, diddy-mesh.jsonc, *.mesh.json,
-- *.mesh.jsonc, and JSON files whose `$schema` ends in diddy-mesh.schema.json. The names
-- are matched by ftdetect/diddy-mesh.vim (every Neovim version) and by vim.filetype.add
-- (0.8 and later); the `$schema` rule reads the buffer, so it lives here.
local M = {}

M.filetype = "diddy-mesh"

-- The file names reserved for mesh configs, for vim.filetype.add.
M.filenames = { "diddy-mesh.json", "diddy-mesh.jsonc" }
M.patterns = { ".*%.mesh%.json", ".*%.mesh%.jsonc" }

--- Whether a file name (a base name or a path) is reserved for mesh configs.
---@param name string
---@return boolean
function M.is_mesh_config_name(name)
  local base = (name:match("[^/\\]+$") or name):lower()
  return base == "diddy-mesh.json" or base == "diddy-mesh.jsonc"
    or base:match("%.mesh%.json$") ~= nil or base:match("%.mesh%.jsonc$") ~= nil
end

--- Whether `text` declares the mesh schema: a `"$schema": "...diddy-mesh.schema.json"`
--- member. It looks at the text as a whole rather than at the top level only: `$schema`
--- means nothing nested in a mesh config, and a cheap check keeps opening JSON files fast.
---@param text string
---@return boolean
function M.has_mesh_schema(text)
  return text:match('"%$schema"%s*:%s*"[^"]*diddy%-mesh%.schema%.json"') ~= nil
end

--- Sets the filetype of the current buffer to diddy-mesh when its first 200 lines declare
--- the mesh schema; called by ftdetect for *.json and *.jsonc files.
function M.set_if_schema()
  local lines = vim.api.nvim_buf_get_lines(0, 0, 200, false)
  if M.has_mesh_schema(table.concat(lines, "\n")) then
    vim.bo.filetype = M.filetype
  end
end

return M
