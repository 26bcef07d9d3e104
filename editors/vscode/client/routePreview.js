// @ts-check
'use strict';

/**
 * The route preview: one webview panel beside the editor showing the last decision
 * trace (tracePage.js renders it). "show in editor" in the page reveals the matched rule.
 */

const crypto = require('crypto');
const vscode = require('vscode');
const { renderTracePage, headline } = require('./tracePage');

class RoutePreview {
  /**
   * @param {(range: any) => vscode.Range | undefined} toRange turns a trace's LSP range into an editor range
   */
  constructor(toRange) {
    this.toRange = toRange;
    /** @type {vscode.WebviewPanel | undefined} */
    this.panel = undefined;
    /** @type {vscode.Uri | undefined} */
    this.documentUri = undefined;
  }

  /**
   * Shows `trace` (routed against the document at `documentUri`).
   * @param {any} trace
   * @param {vscode.Uri} documentUri
   */
  show(trace, documentUri) {
    this.documentUri = documentUri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('diddyMesh.routePreview', 'Route preview', {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
      }, { enableScripts: true, localResourceRoots: [] });
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage((message) => this.reveal(message));
    }
    this.panel.title = `Route: ${headline(trace)}`;
    this.panel.webview.html = renderTracePage(trace, {
      nonce: crypto.randomBytes(16).toString('hex'),
      cspSource: this.panel.webview.cspSource,
    });
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /**
   * Reveals the rule the page asked for.
   * @param {{type?: string, line?: number, character?: number}} message
   */
  async reveal(message) {
    if (!message || message.type !== 'reveal' || !this.documentUri) return;
    const position = { line: message.line || 0, character: message.character || 0 };
    const range = this.toRange({ start: position, end: position });
    if (!range) return;
    const editor = await vscode.window.showTextDocument(this.documentUri, { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  }

  dispose() {
    if (this.panel) this.panel.dispose();
  }
}

module.exports = { RoutePreview };
