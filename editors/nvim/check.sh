#!/usr/bin/env bash
# Opens a charter that has findings in headless Neovim with editors/nvim/peerlint.lua, waits
# for the diagnostics of `peerlint lsp` and prints how many arrived; exits non-zero when none
# do. Installs Debian's Neovim (0.7.2) when it is missing. PEERLINT_BIN names the binary to
# use; without it, the debug build is built and used.
set -euo pipefail
cd "$(dirname "$0")/../.."

charter=examples/gryphon-bdfl.charter

if ! command -v nvim >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
if [ -z "${PEERLINT_BIN:-}" ]; then
  cargo build --quiet
  PEERLINT_BIN="${CARGO_TARGET_DIR:-target}/debug/peerlint"
fi
PEERLINT_BIN=$(realpath -m "$PEERLINT_BIN")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/wait.lua" <<'EOF'
local file = os.getenv('CHARTER')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local function count()
  return #vim.diagnostic.get(buf)
end
vim.wait(20000, function() return count() > 0 end, 50)
local diagnostics = vim.diagnostic.get(buf)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
local out = {}
table.insert(out, string.format('%s: filetype %s, %d diagnostics from peerlint lsp',
  file, vim.bo[buf].filetype, #diagnostics))
for _, d in ipairs(diagnostics) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  local message = d.message:gsub('\n.*', '')
  table.insert(out, string.format('  %d:%d %s %s', d.lnum + 1, d.col + 1, code, message))
end
io.stdout:write(table.concat(out, '\n') .. '\n')
for _, client in pairs(vim.lsp.get_active_clients()) do
  client.stop()
end
vim.wait(2000, function() return next(vim.lsp.get_active_clients()) == nil end, 50)
if #diagnostics > 0 then
  vim.cmd('qall!')
else
  vim.cmd('cquit!')
end
EOF

status=0
CHARTER="$charter" timeout 30 nvim --headless --clean \
  -c "lua vim.g.peerlint_path = '$PEERLINT_BIN'" \
  -c "luafile editors/nvim/peerlint.lua" \
  -c "luafile $work/wait.lua" </dev/null || status=$?
if [ "$status" -ne 0 ]; then
  echo "nvim check: no diagnostics arrived from peerlint lsp (exit $status)" >&2
  exit 1
fi
