#!/usr/bin/env bash
# Makes the Neovim screenshots of the docs from a real run: Neovim with editors/neovim in an
# xterm under Xvfb, against the built diddy-mesh.
#
#   docs/images/neovim-diagnostics.png  examples/broken/diddy-mesh.jsonc with its diagnostics
#   docs/images/neovim-hover.png        hover on a service, with live health that
#                                       `diddy-mesh health probe` wrote for loopback servers
#
# Needs (not installed by bootstrap.sh, and not run in CI):
#   apt-get install xvfb xterm imagemagick x11-utils fonts-dejavu-core neovim
# The binary is $DIDDY_MESH_BIN or .build/debug/diddy-mesh (`swift build` first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${DIDDY_MESH_BIN:-$ROOT/.build/debug/diddy-mesh}
OUT=$ROOT/docs/images
for tool in Xvfb xterm import xwininfo nvim python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "screenshots: $tool is missing (see the comment at the top)" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "screenshots: no diddy-mesh at $BIN: run swift build first" >&2; exit 2; }
mkdir -p "$OUT"

WORK=$(mktemp -d)
DISPLAY_NUMBER=${SCREENSHOT_DISPLAY:-77}
export DISPLAY=:$DISPLAY_NUMBER
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

Xvfb "$DISPLAY" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done

# The Neovim init of both shots: the plugin, then a timer that sets the scene once the
# server has answered and writes $SHOT_MARKER, which tells this script to take the shot.
cat > "$WORK/init.lua" <<'LUA'
vim.opt.runtimepath:prepend(os.getenv("PLUGIN"))
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"
vim.opt.number = true
vim.opt.signcolumn = "yes"
vim.opt.background = "dark"
vim.opt.laststatus = 2
vim.opt.cmdheight = 1
vim.cmd("colorscheme desert")
-- desert's floats are magenta on 256 colours; a dark grey reads better in the docs.
vim.cmd("highlight NormalFloat ctermbg=236 ctermfg=252")
vim.cmd("highlight FloatBorder ctermbg=236 ctermfg=244")
vim.lsp.handlers["textDocument/hover"] = vim.lsp.with(vim.lsp.handlers.hover, { border = "rounded" })
require("diddy-mesh").setup({
  cmd = { os.getenv("DIDDY_MESH_BIN"), "lsp" },
  settings = vim.fn.json_decode(os.getenv("SETTINGS") or "{}"),
})
vim.diagnostic.config({ virtual_text = { prefix = "●" }, severity_sort = true })

local marker, mode, needle = os.getenv("SHOT_MARKER"), os.getenv("SHOT_MODE"), os.getenv("SHOT_NEEDLE")
local function done()
  vim.defer_fn(function()
    local file = io.open(marker, "w")
    file:write("ready")
    file:close()
  end, 600)
end
local function client()
  return require("diddy-mesh").clients(0)[1]
end
local last_count, stable_ticks, busy = -1, 0, false
local timer = vim.loop.new_timer()
timer:start(300, 200, vim.schedule_wrap(function()
  if busy then
    return
  end
  local attached = client()
  if not attached or not attached.initialized then
    return
  end
  if mode == "diagnostics" then
    local count = #vim.diagnostic.get(0)
    stable_ticks = (count == last_count and count > 0) and stable_ticks + 1 or 0
    last_count = count
    if stable_ticks >= 3 then
      timer:stop()
      vim.fn.cursor(vim.fn.search(needle, "nw"), 1)
      vim.cmd("normal! zt")
      vim.cmd(("normal! %dk"):format(math.min(vim.fn.line(".") - 1, 12)))
      vim.fn.cursor(vim.fn.search(needle, "nw"), 1)
      vim.fn.search('"service"', "z")
      -- After the cursor move has been seen: CursorMoved would close a float opened now.
      vim.defer_fn(function()
        vim.diagnostic.open_float({ scope = "line", border = "rounded", source = false,
          prefix = function(d) return ("%s "):format(d.code or (d.user_data and d.user_data.lsp.code) or "") end })
        done()
      end, 300)
    end
  else
    busy = true
    local row = vim.fn.search(needle, "nw")
    vim.fn.cursor(row, vim.fn.stridx(vim.fn.getline(row), needle) + 3)
    local params = vim.lsp.util.make_position_params()
    vim.lsp.buf_request(0, "textDocument/hover", params, function(_, result)
      local text = result and result.contents and (result.contents.value or "") or ""
      busy = false
      if text:find("unhealthy", 1, true) then
        timer:stop()
        vim.cmd("normal! zt")
        vim.defer_fn(function()
          vim.lsp.buf.hover()
          done()
        end, 300)
      end
    end)
  end
end))
LUA

# Opens $1 in Neovim inside an xterm, waits for the marker, and saves the window as $2.
shoot() {
  local file=$1 image=$2 title="diddy-mesh-$RANDOM"
  rm -f "$WORK/marker"
  (cd "$(dirname "$file")" && SHOT_MARKER=$WORK/marker PLUGIN=$ROOT/editors/neovim DIDDY_MESH_BIN=$BIN \
    exec xterm -T "$title" -geometry 140x40+0+0 -fa 'DejaVu Sans Mono' -fs 10 -bg '#1e1e1e' -fg '#d4d4d4' \
      -xrm 'XTerm*termName: xterm-256color' -e nvim --clean -u "$WORK/init.lua" "$(basename "$file")") &
  local xterm_pid=$!
  PIDS+=("$xterm_pid")
  for _ in $(seq 150); do [ -f "$WORK/marker" ] && break; sleep 0.1; done
  [ -f "$WORK/marker" ] || { echo "screenshots: Neovim never got ready for $image" >&2; exit 1; }
  local window
  window=$(xwininfo -name "$title" | awk '/Window id:/ {print $4}')
  import -window "$window" "$image"
  kill "$xterm_pid" 2>/dev/null || true
  echo "screenshots: wrote ${image#"$ROOT"/}"
}

# 1. Diagnostics on the broken example (a copy, so nothing in the tree changes).
mkdir -p "$WORK/broken"
cp examples/broken/diddy-mesh.jsonc "$WORK/broken/"
SHOT_MODE=diagnostics SHOT_NEEDLE='"user-servce"' SETTINGS='{"registry": "off"}' \
  shoot "$WORK/broken/diddy-mesh.jsonc" "$OUT/neovim-diagnostics.png"

# 2. Hover with live health: loopback servers (healthy, failing, slow), one probe round
#    into a wrangler-local store, then hover on the service.
python3 Tests/e2e/probe_targets.py --lifetime 120 --slow-delay 5 > "$WORK/targets.json" < <(sleep 130) &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/targets.json" ] && break; sleep 0.1; done
mkdir -p "$WORK/shop"
python3 - "$WORK/targets.json" "$WORK/shop" <<'PY'
import json, sys
from pathlib import Path
targets = json.loads(Path(sys.argv[1]).read_text())
project = Path(sys.argv[2])
(project / "wrangler.toml").write_text('name = "shop"\nkv_namespaces = [ { binding = "MESH_KV", id = "mesh" } ]\n')
endpoint = lambda name, region: {"url": targets[name] + "/users", "region": region, "insecure": True}
config = {
    "version": 1,
    "mesh": {"name": "shop", "registry": {"binding": "MESH_KV"}},
    "services": {
        "user-service": {
            "endpoints": [endpoint("healthy", "WEU"), endpoint("error", "ENAM"), endpoint("slow", "SEAS")],
            "loadBalancer": {"strategy": "latency", "metric": "ewma"},
            "healthCheck": {"path": "/health", "interval": 10000, "timeout": 500, "healthyThreshold": 1, "unhealthyThreshold": 1},
            "timeout": 3000,
        }
    },
    "routing": {"rules": [{"name": "users", "path": "/api/users/*", "service": "user-service"}], "default": "user-service"},
}
(project / "diddy-mesh.json").write_text(json.dumps(config, indent=2) + "\n")
PY
(cd "$WORK/shop" && "$BIN" health probe diddy-mesh.json --once >/dev/null)
SHOT_MODE=hover SHOT_NEEDLE='"user-service"' SETTINGS='{"registry": "wrangler-local"}' \
  shoot "$WORK/shop/diddy-mesh.json" "$OUT/neovim-hover.png"
