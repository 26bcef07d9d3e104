// @ts-check
'use strict';

/**
 * The Diddy-Mesh extension: starts `diddy-mesh lsp` for mesh configs, passes the
 * `diddyMesh` settings on, and adds "Diddy-Mesh: What routes here" with a route preview.
 * Everything that does not need VS Code lives in the modules beside this one.
 */

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { hasMeshSchema } = require('./detect');
const { parseRequestLine } = require('./request');
const { serverSettings, SECTION, CLIENT_ONLY_PREFIX } = require('./settings');
const { serverCommand } = require('./serverCommand');
const { RoutePreview } = require('./routePreview');

const LANGUAGE_ID = 'diddy-mesh';
const WHAT_ROUTES_HERE_COMMAND = 'diddy-mesh.whatRoutesHere';
const RESTART_COMMAND = 'diddy-mesh.restartServer';
const WHAT_ROUTES_HERE_METHOD = 'diddyMesh/whatRoutesHere';
const EXECUTE_COMMAND_METHOD = 'workspace/executeCommand';

/**
 * The language client, less its executeCommand feature. The server advertises
 * `diddy-mesh.whatRoutesHere` in `executeCommandProvider`; the stock feature would
 * register a VS Code command of that name too, and the second registration of one
 * command name fails. This extension owns the command: it asks for a URL when run from
 * the palette and sends `diddyMesh/whatRoutesHere` itself.
 */
class DiddyMeshLanguageClient extends LanguageClient {
  /**
   * @param {any} feature
   */
  registerFeature(feature) {
    if (feature && feature.registrationType && feature.registrationType.method === EXECUTE_COMMAND_METHOD) return;
    super.registerFeature(feature);
  }
}

/** @type {DiddyMeshLanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let outputChannel;
/** The request line typed last, offered again next time. */
let lastRequestLine = '';

/**
 * The value of one full setting name (`diddyMesh.live.deadlineMs`).
 * @param {string} name
 * @returns {unknown}
 */
function readSetting(name) {
  return vscode.workspace.getConfiguration().get(name);
}

/**
 * Sends the settings again after they (or the workspace's trust) changed.
 */
function sendSettings() {
  if (client) client.sendNotification('workspace/didChangeConfiguration', { settings: serverSettings(readSetting, vscode.workspace.isTrusted) });
}

/**
 * The first workspace folder's path, for relative server paths.
 * @returns {string | undefined}
 */
function firstWorkspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 ? folders[0].uri.fsPath : undefined;
}

/**
 * Creates and starts the language client; a missing executable is reported with a way
 * to set `diddyMesh.server.path`.
 * @returns {Promise<void>}
 */
async function startClient() {
  const { command, args } = serverCommand(/** @type {string} */ (readSetting(`${SECTION}.server.path`)), firstWorkspaceFolder());
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = { command, args, transport: TransportKind.stdio };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    initializationOptions: serverSettings(readSetting, vscode.workspace.isTrusted),
    outputChannel,
  };
  client = new DiddyMeshLanguageClient('diddyMesh', 'Diddy-Mesh', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const open = 'Open settings';
    const message = `Diddy-Mesh: could not start '${command} ${args.join(' ')}': ${error instanceof Error ? error.message : String(error)}`;
    vscode.window.showErrorMessage(message, open).then((choice) => {
      if (choice === open) vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
    });
  }
}

/**
 * Stops the running client, if any.
 * @returns {Promise<void>}
 */
async function stopClient() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that never started cannot be stopped; there is nothing left to clean up.
    }
  }
}

/**
 * Gives JSON documents that declare the mesh schema (`$schema` ending in
 * diddy-mesh.schema.json) the Diddy-Mesh language, so the server takes them.
 * @param {vscode.TextDocument} document
 */
function adoptSchemaDocument(document) {
  if ((document.languageId === 'json' || document.languageId === 'jsonc') && hasMeshSchema(document.getText())) {
    vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
  }
}

/**
 * "Diddy-Mesh: What routes here". From the palette it asks for a URL (or `METHOD URL`)
 * and routes it against the active mesh config; a code lens or another extension may
 * pass the full `diddyMesh/whatRoutesHere` params as the one argument instead.
 * @param {RoutePreview} preview
 * @param {unknown} argument
 */
async function whatRoutesHere(preview, argument) {
  if (!client) {
    vscode.window.showErrorMessage('Diddy-Mesh: the language server is not running.');
    return;
  }
  /** @type {any} */
  let params;
  /** @type {vscode.Uri} */
  let documentUri;
  if (argument && typeof argument === 'object' && 'textDocument' in argument) {
    params = argument;
    documentUri = vscode.Uri.parse(params.textDocument.uri);
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID) {
      vscode.window.showWarningMessage('Diddy-Mesh: open a mesh config (diddy-mesh.jsonc, *.mesh.json) first.');
      return;
    }
    const line = await vscode.window.showInputBox({
      title: 'What routes here',
      prompt: 'The request to route: a URL, or a method and a URL',
      placeHolder: 'GET https://api.example.com/api/users/42',
      value: lastRequestLine,
      validateInput: (text) => {
        const parsed = parseRequestLine(text);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (line === undefined) return;
    const request = parseRequestLine(line);
    if ('error' in request) return;
    lastRequestLine = line;
    documentUri = editor.document.uri;
    params = { textDocument: { uri: client.code2ProtocolConverter.asUri(documentUri) }, request };
  }
  try {
    const trace = await client.sendRequest(WHAT_ROUTES_HERE_METHOD, params);
    preview.show(trace, documentUri);
  } catch (error) {
    vscode.window.showErrorMessage(`Diddy-Mesh: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * @param {vscode.ExtensionContext} context
 */
async function activate(context) {
  outputChannel = vscode.window.createOutputChannel('Diddy-Mesh');
  const preview = new RoutePreview((range) => client ? client.protocol2CodeConverter.asRange(range) : undefined);
  context.subscriptions.push(
    outputChannel,
    preview,
    vscode.commands.registerCommand(WHAT_ROUTES_HERE_COMMAND, (argument) => whatRoutesHere(preview, argument)),
    vscode.commands.registerCommand(RESTART_COMMAND, async () => {
      await stopClient();
      await startClient();
    }),
    vscode.workspace.onDidOpenTextDocument(adoptSchemaDocument),
    // Trusting the workspace lifts the gate on diddyMesh.allowCloudflare.
    vscode.workspace.onDidGrantWorkspaceTrust(sendSettings),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      if (event.affectsConfiguration(CLIENT_ONLY_PREFIX.slice(0, -1))) {
        await stopClient();
        await startClient();
        return;
      }
      sendSettings();
    }),
  );
  vscode.workspace.textDocuments.forEach(adoptSchemaDocument);
  await startClient();
}

/**
 * @returns {Promise<void>}
 */
function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
