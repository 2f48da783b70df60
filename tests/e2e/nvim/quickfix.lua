-- Drives Neovim's built-in LSP client against `abi3port lsp` (headless):
-- opens $SOURCE, waits for the diagnostics, applies the quick fix of the
-- first diagnostic of each RULE[:TEXT] in $RULES (comma-separated; with
-- TEXT, the first whose message contains it), in that order, saves, and
-- writes what it saw to $RESULT as JSON.
-- Works with Neovim 0.7 (Debian 12) and later.
local exe = os.getenv("ABI3PORT")
local source = os.getenv("SOURCE")
local result_path = os.getenv("RESULT")
local rules = vim.split(os.getenv("RULES") or "", ",")
local result = { initial = {}, applied = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, result_path)
  vim.cmd("qa!")
end

local function fail(message)
  table.insert(result.errors, message)
  finish()
end

vim.cmd("edit " .. vim.fn.fnameescape(source))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "abi3port",
  cmd = { exe, "lsp", "--target", "3.10", "--state", "global" },
  root_dir = vim.fn.fnamemodify(source, ":h"),
})
if not client_id then
  return fail("the client did not start")
end
vim.lsp.buf_attach_client(bufnr, client_id)
local client = vim.lsp.get_client_by_id(client_id)

local function lsp_of(d)
  return (d.user_data and d.user_data.lsp) or d
end

-- Diagnostics once the port's quick fixes are known (a second publish).
local function ready_diagnostics()
  local list = vim.diagnostic.get(bufnr)
  if #list == 0 then
    return nil
  end
  for _, d in ipairs(list) do
    if string.find(d.message, "(fixable)", 1, true) then
      return nil
    end
  end
  return list
end

local function wait_ready()
  local list
  vim.wait(90000, function()
    list = ready_diagnostics()
    return list ~= nil
  end, 50)
  return list
end

local first = wait_ready()
if not first then
  return fail("no diagnostics with quick fixes")
end
for _, d in ipairs(first) do
  local l = lsp_of(d)
  table.insert(result.initial, { code = l.code, line = d.lnum, col = d.col })
end

for _, spec in ipairs(rules) do
  local rule, needle = unpack(vim.split(spec, ":"))
  local list = wait_ready() or {}
  local target, range
  for _, d in ipairs(list) do
    local l = lsp_of(d)
    if l.code == rule and l.data and l.data.changeId
        and (needle == nil or string.find(d.message, needle, 1, true)) then
      target = l
      -- Neovim 0.7 keeps only some LSP fields in user_data: the range is
      -- the diagnostic's own (in the negotiated encoding's columns).
      range = l.range or {
        start = { line = d.lnum, character = d.col },
        ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
      }
      break
    end
  end
  if not target then
    return fail("no fixable diagnostic of " .. spec)
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = { target } },
  }
  local response = client.request_sync("textDocument/codeAction", params, 90000, bufnr)
  if not response or response.err or not response.result then
    return fail("codeAction failed for " .. rule)
  end
  local applied = false
  for _, action in ipairs(response.result) do
    if action.kind == "quickfix" and string.find(action.title, target.data.changeId, 1, true) then
      local tick = vim.api.nvim_buf_get_changedtick(bufnr)
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      table.insert(result.applied, target.data.changeId)
      applied = vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
      break
    end
  end
  if not applied then
    return fail("the quick fix of " .. rule .. " changed nothing")
  end
  -- the server sees the change, and publishes for the new version
  vim.wait(90000, function()
    local list2 = ready_diagnostics()
    return list2 ~= nil and #list2 ~= #list
  end, 50)
end
vim.cmd("write")
finish()
