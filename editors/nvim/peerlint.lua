-- peerlint for Neovim 0.7.2 and later: the `charter` filetype for *.charter files, and
-- `peerlint lsp` as the language server of every charter buffer.
--
-- Copy this file to ~/.config/nvim/plugin/peerlint.lua, or load it from init.lua with
--   dofile('/path/to/peerlint/editors/nvim/peerlint.lua')
-- It needs `peerlint` on PATH (from the repository: `cargo install --path .`); to use
-- another binary, set vim.g.peerlint_path before it is loaded.
-- :PeerlintRestart restarts the server, for instance after installing a new peerlint.

vim.filetype.add({ extension = { charter = 'charter' } })
if vim.fn.has('nvim-0.8') == 0 then
  -- Neovim 0.7 reads vim.filetype.add only when g:do_filetype_lua is set.
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = vim.api.nvim_create_augroup('peerlint_filetype', { clear = true }),
    pattern = '*.charter',
    command = 'setfiletype charter',
  })
end

local client_id = nil
local warned = false

-- The directory of the nearest peerlint.yaml, .peerlint.yaml or .git above the file.
local function root_dir(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  for _, name in ipairs({ 'peerlint.yaml', '.peerlint.yaml' }) do
    local found = vim.fn.findfile(name, dir .. ';')
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h')
    end
  end
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
end

-- The running client's id; starts the server when none runs.
local function ensure_client(buf)
  if client_id and vim.lsp.get_client_by_id(client_id) and not vim.lsp.client_is_stopped(client_id) then
    return client_id
  end
  local cmd = vim.g.peerlint_path or 'peerlint'
  if vim.fn.executable(cmd) ~= 1 then
    if not warned then
      warned = true
      vim.notify(
        'peerlint: cannot start the language server: "' .. cmd .. '" was not found. '
          .. 'Install it from the peerlint repository with `cargo install --path .`, '
          .. 'or set vim.g.peerlint_path to the binary.',
        vim.log.levels.ERROR
      )
    end
    return nil
  end
  client_id = vim.lsp.start_client({
    name = 'peerlint',
    cmd = { cmd, 'lsp' },
    root_dir = root_dir(vim.api.nvim_buf_get_name(buf)),
  })
  return client_id
end

local function attach(buf)
  local id = ensure_client(buf)
  if id then
    vim.lsp.buf_attach_client(buf, id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  group = vim.api.nvim_create_augroup('peerlint', { clear = true }),
  pattern = 'charter',
  callback = function(args)
    vim.bo[args.buf].commentstring = '# %s'
    vim.bo[args.buf].comments = ':#'
    attach(args.buf)
  end,
})

vim.api.nvim_create_user_command('PeerlintRestart', function()
  if client_id then
    vim.lsp.stop_client(client_id, true)
    client_id = nil
  end
  warned = false
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'charter' then
      attach(buf)
    end
  end
end, { desc = 'Restart the peerlint language server' })
