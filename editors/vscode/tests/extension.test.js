'use strict';
// Checks the extension's manifest, language configuration and grammar, and runs
// extension.js against a stand-in for the editor's API.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Module = require('module');

const root = path.join(__dirname, '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

test('package.json declares the language, grammar, settings and command', () => {
  const pkg = readJson('package.json');
  assert.strictEqual(pkg.main, './extension.js');
  assert.ok(fs.existsSync(path.join(root, pkg.main)));
  assert.deepStrictEqual(pkg.activationEvents, ['onLanguage:charter']);
  assert.strictEqual(pkg.engines.vscode, '^1.82.0');

  const [language] = pkg.contributes.languages;
  assert.strictEqual(language.id, 'charter');
  assert.deepStrictEqual(language.extensions, ['.charter']);
  assert.ok(fs.existsSync(path.join(root, language.configuration)));

  const [grammar] = pkg.contributes.grammars;
  assert.strictEqual(grammar.language, 'charter');
  assert.strictEqual(grammar.scopeName, 'source.charter');
  assert.strictEqual(readJson(grammar.path).scopeName, 'source.charter');

  const settings = pkg.contributes.configuration.properties;
  assert.strictEqual(settings['peerlint.path'].default, 'peerlint');
  assert.deepStrictEqual(settings['peerlint.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepStrictEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['peerlint.path']);

  const commands = pkg.contributes.commands.map((c) => c.command);
  assert.deepStrictEqual(commands, ['peerlint.restartServer']);
  const source = fs.readFileSync(path.join(root, 'extension.js'), 'utf8');
  for (const command of commands) {
    assert.ok(source.includes(`registerCommand('${command}'`), `extension.js registers ${command}`);
  }
});

test('the language client supports the VS Code versions the extension claims', () => {
  const client = require('vscode-languageclient/package.json');
  const needs = client.engines.vscode.replace(/^\^/, '').split('.').map(Number);
  const claims = readJson('package.json').engines.vscode.replace(/^\^/, '').split('.').map(Number);
  assert.ok(needs[0] < claims[0] || (needs[0] === claims[0] && needs[1] <= claims[1]),
    `vscode-languageclient needs ${client.engines.vscode}`);
});

test('language-configuration.json: comments, brackets, indentation, words', () => {
  const conf = readJson('language-configuration.json');
  assert.strictEqual(conf.comments.lineComment, '#');
  assert.deepStrictEqual(conf.brackets, [['{', '}']]);
  assert.deepStrictEqual(conf.autoClosingPairs.map((p) => p.open + p.close), ['{}', '""']);

  const increase = new RegExp(conf.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(conf.indentationRules.decreaseIndentPattern);
  assert.ok(increase.test('clause 3.1 "Expulsion" {'));
  assert.ok(increase.test('  board may expel member {   # the grounds follow'));
  assert.ok(!increase.test('  member may vote in assembly { weight 1 }'));
  assert.ok(!increase.test('  text "a brace { in prose"'));
  assert.ok(!increase.test('# {'));
  assert.ok(decrease.test('  }'));

  // VS Code makes the word pattern global, keeping its flags.
  const word = new RegExp(conf.wordPattern.pattern, 'g' + conf.wordPattern.flags);
  const words = (text) => text.match(word);
  assert.deepStrictEqual(words('clause 3.2(2) "Suspension" {'), ['clause', '3.2(2)', 'Suspension']);
  assert.deepStrictEqual(words('regarding clause V.2(a)4'), ['regarding', 'clause', 'V.2(a)4']);
  assert.deepStrictEqual(words('role core-member within contributor'), ['role', 'core-member', 'within', 'contributor']);
  assert.deepStrictEqual(words('clause teams.membership'), ['clause', 'teams.membership']);
  assert.deepStrictEqual(words('role Mitglied_größe'), ['role', 'Mitglied_größe']);
  assert.deepStrictEqual(words('"the end." threshold 2/3'), ['the', 'end', 'threshold', '2', '3']);
});

test('every regular expression of the grammar compiles, every include resolves', async () => {
  const oniguruma = require('vscode-oniguruma');
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammar = readJson('syntaxes/charter.tmLanguage.json');
  let regexes = 0;
  const visit = (node) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') {
      return;
    }
    for (const key of ['match', 'begin', 'end']) {
      if (typeof node[key] === 'string') {
        // Throws on a pattern Oniguruma cannot compile.
        new oniguruma.OnigScanner([node[key]]).dispose();
        regexes += 1;
      }
    }
    if (typeof node.include === 'string' && node.include.startsWith('#')) {
      assert.ok(grammar.repository[node.include.slice(1)], `${node.include} is in the repository`);
    }
    Object.values(node).forEach(visit);
  };
  visit(grammar);
  assert.ok(regexes > 50, `${regexes} patterns`);
});

// A stand-in for the parts of the `vscode` module the extension uses.
function fakeVscode(settings) {
  const calls = { errors: [], commands: {}, clients: [] };
  const disposable = { dispose() {} };
  const vscode = {
    window: {
      createOutputChannel: (name) => ({ name, dispose() {} }),
      showErrorMessage: (message) => {
        calls.errors.push(message);
        return Promise.resolve(undefined);
      },
    },
    workspace: {
      workspaceFolders: undefined,
      getConfiguration: (section) => ({ get: (key) => settings[`${section}.${key}`] }),
      onDidChangeConfiguration: () => disposable,
      onDidGrantWorkspaceTrust: () => disposable,
    },
    commands: {
      registerCommand: (id, fn) => {
        calls.commands[id] = fn;
        return disposable;
      },
      executeCommand: () => Promise.resolve(),
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, disposed: false });
      calls.clients.push(this);
    }
    start() {
      this.started = true;
      return Promise.resolve();
    }
    dispose() {
      this.disposed = true;
      return Promise.resolve();
    }
  }
  return { vscode, calls, languageClient: { LanguageClient } };
}

// extension.js loads the language client only when it starts a server, so the stand-ins
// stay in place for the whole file.
let current;
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (current && request === 'vscode') return current.vscode;
  if (current && request === 'vscode-languageclient/node') return current.languageClient;
  return load.call(this, request, parent, isMain);
};

function loadExtension(fake) {
  current = fake;
  delete require.cache[require.resolve('../extension.js')];
  return require('../extension.js');
}

function fakeBinary() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peerlint-ext-'));
  const bin = path.join(dir, 'peerlint');
  fs.writeFileSync(bin, '#!/bin/sh\nexit 0\n');
  fs.chmodSync(bin, 0o755);
  return { dir, bin };
}

test('findExecutable looks on PATH, and takes paths as written', { skip: process.platform === 'win32' }, () => {
  const { dir, bin } = fakeBinary();
  const ext = loadExtension(fakeVscode({}));
  assert.strictEqual(ext.findExecutable('peerlint', { env: { PATH: `/nonexistent${path.delimiter}${dir}` } }), bin);
  assert.strictEqual(ext.findExecutable('peerlint', { env: { PATH: '/nonexistent' } }), undefined);
  assert.strictEqual(ext.findExecutable(bin, { env: { PATH: '' } }), bin);
  assert.strictEqual(ext.findExecutable('./peerlint', { env: { PATH: '' }, base: dir }), bin);
  const plain = path.join(dir, 'not-executable');
  fs.writeFileSync(plain, '');
  assert.strictEqual(ext.findExecutable(plain, { env: { PATH: '' } }), undefined);
  assert.strictEqual(ext.findExecutable('', { env: { PATH: dir } }), bin);
});

test('a missing binary is reported with how to install it', async () => {
  const fake = fakeVscode({ 'peerlint.path': '/nonexistent/peerlint' });
  const ext = loadExtension(fake);
  const context = { subscriptions: [] };
  await ext.activate(context);
  assert.strictEqual(fake.calls.clients.length, 0);
  assert.strictEqual(fake.calls.errors.length, 1);
  assert.match(fake.calls.errors[0], /\/nonexistent\/peerlint" is not an executable file/);
  assert.match(fake.calls.errors[0], /cargo install --path \./);
  assert.ok(fake.calls.commands['peerlint.restartServer']);
});

test('the server is started as `peerlint lsp` for charter files, and restarted on demand',
  { skip: process.platform === 'win32' }, async () => {
    const { bin } = fakeBinary();
    const fake = fakeVscode({ 'peerlint.path': bin });
    const ext = loadExtension(fake);
    await ext.activate({ subscriptions: [] });
    assert.strictEqual(fake.calls.errors.length, 0);
    assert.strictEqual(fake.calls.clients.length, 1);
    const [first] = fake.calls.clients;
    assert.strictEqual(first.id, 'peerlint');
    assert.deepStrictEqual(first.serverOptions, { command: bin, args: ['lsp'] });
    assert.deepStrictEqual(first.clientOptions.documentSelector.map((s) => s.language), ['charter', 'charter']);
    assert.ok(first.started);

    await fake.calls.commands['peerlint.restartServer']();
    assert.ok(first.disposed);
    assert.strictEqual(fake.calls.clients.length, 2);
    assert.ok(fake.calls.clients[1].started);

    await ext.deactivate();
    assert.ok(fake.calls.clients[1].disposed);
  });
