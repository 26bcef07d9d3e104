// The VS Code extension's modules that do not need VS Code, under node's test runner:
// file detection, the request line, the settings sent to the server, the server command,
// and the route preview page rendered from traces the real `diddy-mesh route` prints.
// Run by test_editor_vscode.py as `node --test` with DIDDY_MESH_BIN set.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const os = require('os');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLIENT = path.join(ROOT, 'editors', 'vscode', 'client');
const { isMeshConfigName, hasMeshSchema, topLevelSchema } = require(path.join(CLIENT, 'detect.js'));
const { parseRequestLine } = require(path.join(CLIENT, 'request.js'));
const { serverSettings, serverSettingNames, declaredSettings } = require(path.join(CLIENT, 'settings.js'));
const { serverCommand } = require(path.join(CLIENT, 'serverCommand.js'));
const { renderTracePage, escapeHtml } = require(path.join(CLIENT, 'tracePage.js'));

const SHOP = path.join(ROOT, 'examples', 'shop', 'diddy-mesh.jsonc');

test('mesh config names follow config.md', () => {
  const cases = [
    ['diddy-mesh.json', true], ['diddy-mesh.jsonc', true], ['/a/b/orders.mesh.json', true],
    ['C:\\x\\orders.mesh.jsonc', true], ['Diddy-Mesh.JSON', true], ['package.json', false],
    ['mesh.json', false], ['diddy-mesh.json.bak', false], ['orders.mesh.yaml', false],
  ];
  for (const [name, expected] of cases) assert.equal(isMeshConfigName(name), expected, name);
});

test('$schema counts only at the top level, outside comments', () => {
  const cases = [
    ['{ "$schema": "../../schemas/diddy-mesh.schema.json", "version": 1 }', true],
    ['// comment\n{\n  /* "$schema": "x" */\n  "$schema": "https://example.com/diddy-mesh.schema.json"\n}', true],
    ['{ "version": 1, "$schema": "diddy-mesh.schema.json" }', true],
    ['{ "$schema": "https://json.schemastore.org/package.json" }', false],
    ['{ "services": { "$schema": "diddy-mesh.schema.json" } }', false],
    ['{ "note": "\\"$schema\\": \\"diddy-mesh.schema.json\\"" }', false],
    ['// "$schema": "diddy-mesh.schema.json"\n{}', false],
    ['{ "$schema": ["diddy-mesh.schema.json"] }', false],
    ['{ "$schema": "diddy-mesh.schema.json', false],
    ['', false],
  ];
  for (const [text, expected] of cases) assert.equal(hasMeshSchema(text), expected, text);
  assert.equal(topLevelSchema('{"a": {"b": 1}, "$schema": "s\\u0041"}'), 'sA');
});

test('the request line is a URL or a method and a URL', () => {
  assert.deepEqual(parseRequestLine('https://api.example.com/api/users/42'), { method: 'GET', url: 'https://api.example.com/api/users/42' });
  assert.deepEqual(parseRequestLine('  post   https://x.example/api/payments/1 '), { method: 'POST', url: 'https://x.example/api/payments/1' });
  for (const bad of ['', '/api/users/1', 'GET', 'GET /x', 'ftp://x/y', 'GE7 https://x/', 'GET https://x/ extra']) {
    assert.ok('error' in parseRequestLine(bad), bad);
  }
});

test('settings: every declared server setting is sent nested, the client-only ones never', () => {
  const values = {
    'diddyMesh.server.path': '/opt/diddy-mesh',
    'diddyMesh.registry': 'wrangler-local',
    'diddyMesh.persistTo': '',
    'diddyMesh.namespaceId': null,
    'diddyMesh.live.deadlineMs': 250,
    'diddyMesh.live.cacheSeconds': 0,
    'diddyMesh.diagnostics.live': false,
  };
  const sent = serverSettings((name) => values[name]);
  assert.deepEqual(sent, { diddyMesh: { registry: 'wrangler-local', live: { deadlineMs: 250, cacheSeconds: 0 }, diagnostics: { live: false } } });
  assert.ok(declaredSettings().includes('diddyMesh.server.path'));
  assert.ok(!serverSettingNames().includes('diddyMesh.server.path'));
  assert.ok(serverSettingNames().length >= 8);
});

test('settings: an untrusted workspace never grants Cloudflare ids the token', () => {
  const values = { 'diddyMesh.allowCloudflare': true, 'diddyMesh.registry': 'cloudflare' };
  assert.deepEqual(serverSettings((name) => values[name], true), { diddyMesh: { registry: 'cloudflare', allowCloudflare: true } });
  assert.deepEqual(serverSettings((name) => values[name], false), { diddyMesh: { registry: 'cloudflare', allowCloudflare: false } });
  const manifest = require(path.join(CLIENT, '..', 'package.json'));
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.ok(restricted.includes('diddyMesh.allowCloudflare') && restricted.includes('diddyMesh.server.path'));
});

test('the server command comes from diddyMesh.server.path or PATH', () => {
  assert.deepEqual(serverCommand('', '/ws'), { command: 'diddy-mesh', args: ['lsp'] });
  assert.deepEqual(serverCommand(undefined, undefined), { command: 'diddy-mesh', args: ['lsp'] });
  assert.deepEqual(serverCommand('/opt/bin/diddy-mesh', '/ws'), { command: '/opt/bin/diddy-mesh', args: ['lsp'] });
  assert.deepEqual(serverCommand('.build/release/diddy-mesh', '/ws'), { command: '/ws/.build/release/diddy-mesh', args: ['lsp'] });
  assert.deepEqual(serverCommand('my-diddy-mesh', '/ws'), { command: 'my-diddy-mesh', args: ['lsp'] });
  assert.deepEqual(serverCommand('~/bin/diddy-mesh', '/ws'), { command: path.join(os.homedir(), 'bin', 'diddy-mesh'), args: ['lsp'] });
});

/**
 * The trace `diddy-mesh route --format json` prints.
 * @param {string[]} args
 */
function cliTrace(args) {
  const binary = process.env.DIDDY_MESH_BIN || path.join(ROOT, '.build', 'debug', 'diddy-mesh');
  try {
    return JSON.parse(execFileSync(binary, ['route', SHOP, '--format', 'json', ...args], { encoding: 'utf8' }));
  } catch (error) {
    // Exit status 1 (no route) still prints the trace.
    if (error.stdout) return JSON.parse(error.stdout);
    throw error;
  }
}

const TRACES = [
  ['a routed request', ['--url', 'https://shop.example/api/users/42', '--continent', 'EU']],
  ['a split', ['--url', 'https://shop.example/api/catalog/9']],
  ['the default service', ['--url', 'https://shop.example/nowhere']],
  ['markup in a header', ['--url', 'https://shop.example/preview/a', '--header', 'x-preview: <img src=x onerror=alert(1)>']],
];

for (const [name, args] of TRACES) {
  test(`the route preview shows ${name}`, () => {
    const trace = cliTrace(args);
    const page = renderTracePage(trace, { nonce: 'n0nce', cspSource: 'vscode-resource:' });
    assert.ok(page.includes(escapeHtml(`${trace.request.method} ${trace.request.url}`)));
    assert.ok(page.includes(`>${escapeHtml(trace.outcome)}<`));
    for (const skipped of trace.skipped) assert.ok(page.includes(escapeHtml(skipped.reason)), skipped.reason);
    if (trace.rule) assert.ok(page.includes(escapeHtml(`#${trace.rule.index} '${trace.rule.name}'`)));
    if (trace.split) {
      for (const branch of trace.split.branches) assert.ok(page.includes(`<td>${escapeHtml(branch.service)}</td>`));
      assert.ok(page.includes(escapeHtml(trace.split.reason)));
    }
    for (const endpoint of trace.endpoints) assert.ok(page.includes(escapeHtml(endpoint.url)), endpoint.url);
    if (trace.endpoint) assert.ok(page.includes(escapeHtml(`${trace.endpoint} (chosen)`)));
    for (const [header, value] of Object.entries(trace.request.headers || {})) {
      assert.ok(page.includes(`<td>${escapeHtml(value)}</td>`), header);
    }
    // Nothing from the trace becomes markup, and the only script is the page's own.
    assert.ok(!page.includes('<img'));
    assert.equal(page.match(/<script/g).length, 1);
    assert.ok(page.includes('<script nonce="n0nce">'));
    assert.ok(page.includes(escapeHtml("script-src 'nonce-n0nce'")));
  });
}
