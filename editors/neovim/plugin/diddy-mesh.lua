-- :DiddyMeshRoute [METHOD] URL: where does this request go? Defined at startup so that it
-- also works when the server was set up through nvim-lspconfig rather than setup().
if vim.g.loaded_diddy_mesh then
  return
end
vim.g.loaded_diddy_mesh = true

vim.api.nvim_create_user_command("DiddyMeshRoute", function(command)
  require("diddy-mesh").route(command.args)
end, { nargs = "+", desc = "Diddy-Mesh: route a request ([METHOD] URL) and show the decision trace" })
