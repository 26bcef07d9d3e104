-- The minimal init of the Neovim tests: the plugin from editors/neovim on the runtimepath,
-- set up with the diddy-mesh binary under test. The test passes, in the environment:
--   DIDDY_NVIM_PLUGIN   the plugin directory (editors/neovim)
--   DIDDY_MESH_BIN      the diddy-mesh executable
--   DIDDY_NVIM_SETTINGS the `diddyMesh` settings as JSON (optional)
vim.opt.runtimepath:prepend(os.getenv("DIDDY_NVIM_PLUGIN"))
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"

local settings = {}
local encoded = os.getenv("DIDDY_NVIM_SETTINGS")
if encoded and encoded ~= "" then
  settings = vim.fn.json_decode(encoded)
end

require("diddy-mesh").setup({
  cmd = { os.getenv("DIDDY_MESH_BIN"), "lsp" },
  settings = settings,
})
