'use strict';
// The peerlint extension: starts `peerlint lsp` over stdio for charter files.

const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');

const INSTALL_HINT = 'Install it from the peerlint repository with `cargo install --path .`, ' +
  'or set "peerlint.path" to the binary.';

let client;
let outputChannel;

/** True when `file` is a regular file this process may run. */
function isExecutable(file, platform = process.platform) {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch (_) {
    return false;
  }
}

/**
 * Finds the peerlint binary: a bare name is looked up on PATH, a path with a directory in it is
 * taken as written (relative to `base`, the first workspace folder). `~` is the home directory.
 * Returns the full path, or undefined when there is no such executable.
 */
function findExecutable(configured, options = {}) {
  const env = options.env || process.env;
  const platform = options.platform || process.platform;
  const base = options.base || process.cwd();
  let name = (configured || '').trim() || 'peerlint';
  if (name === '~' || name.startsWith('~/') || name.startsWith('~\\')) {
    name = path.join(os.homedir(), name.slice(1));
  }
  const exts = platform === 'win32'
    ? [''].concat((env.PATHEXT || '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean))
    : [''];
  if (path.isAbsolute(name) || name.includes('/') || name.includes('\\')) {
    const full = path.resolve(base, name);
    return exts.map((ext) => full + ext).find((f) => isExecutable(f, platform));
  }
  const dirs = (env.PATH || env.Path || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate, platform)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function workspaceRoot() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 && folders[0].uri.scheme === 'file'
    ? folders[0].uri.fsPath
    : undefined;
}

function notFound(configured) {
  const where = configured.includes('/') || configured.includes('\\')
    ? `"${configured}" is not an executable file`
    : `"${configured}" was not found on PATH`;
  const open = 'Open Settings';
  vscode.window
    .showErrorMessage(`peerlint: cannot start the language server: ${where}. ${INSTALL_HINT}`, open)
    .then((choice) => {
      if (choice === open) {
        vscode.commands.executeCommand('workbench.action.openSettings', 'peerlint.path');
      }
    });
}

async function startClient() {
  const configured = vscode.workspace.getConfiguration('peerlint').get('path') || 'peerlint';
  const command = findExecutable(configured, { base: workspaceRoot() });
  if (!command) {
    notFound(configured);
    return undefined;
  }
  const { LanguageClient } = require('vscode-languageclient/node');
  // No `transport`: the client would add `--stdio`, and `peerlint lsp` always speaks over stdio.
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'charter' },
      { scheme: 'untitled', language: 'charter' },
    ],
    outputChannel,
  };
  const started = new LanguageClient('peerlint', 'peerlint', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    vscode.window.showErrorMessage(
      `peerlint: the language server (${command} lsp) did not start: ${message}. ` +
      'It needs a peerlint that has the `lsp` command; the "peerlint" output has its messages.');
  }
  return started;
}

async function stopClient() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.dispose();
    } catch (_) {
      // It had not started, or had already stopped.
    }
  }
}

async function restart() {
  await stopClient();
  return startClient();
}

function activate(context) {
  outputChannel = vscode.window.createOutputChannel('peerlint');
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand('peerlint.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('peerlint.path')) {
        restart();
      }
    }),
  );
  if (vscode.workspace.onDidGrantWorkspaceTrust) {
    // A workspace's own `peerlint.path` counts only once the workspace is trusted.
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => restart()));
  }
  return startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate, findExecutable, restart };
