" Mesh configs are JSONC: highlight them as JSON with comments.
if exists('b:current_syntax')
  finish
endif
runtime! syntax/jsonc.vim
if !exists('b:current_syntax')
  runtime! syntax/json.vim
endif
let b:current_syntax = 'diddy-mesh'
