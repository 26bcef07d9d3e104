" Mesh configs (docs/guide/config-reference.md). `set filetype=` rather than `setfiletype`: the built-in rules
" have already called *.json and *.jsonc "json"/"jsonc" by the time ftdetect runs.
autocmd BufNewFile,BufRead diddy-mesh.json,diddy-mesh.jsonc,*.mesh.json,*.mesh.jsonc set filetype=diddy-mesh
" A JSON file that declares the mesh schema ($schema ending in diddy-mesh.schema.json).
autocmd BufRead *.json,*.jsonc lua require('diddy-mesh.detect').set_if_schema()
