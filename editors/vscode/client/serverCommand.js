// @ts-check
'use strict';

/**
 * Which executable the extension runs as the language server: `diddyMesh.server.path`
 * (a client-only setting) or `diddy-mesh` on PATH. Pure, so plain node tests it.
 */

const path = require('path');
const os = require('os');

const DEFAULT_EXECUTABLE = 'diddy-mesh';

/**
 * The command and arguments that start `diddy-mesh lsp`.
 * @param {string | undefined | null} configured the value of `diddyMesh.server.path`
 * @param {string | undefined} workspaceFolder the first workspace folder's path, for relative paths
 * @returns {{command: string, args: string[]}}
 */
function serverCommand(configured, workspaceFolder) {
  const trimmed = (configured || '').trim();
  if (trimmed === '') return { command: DEFAULT_EXECUTABLE, args: ['lsp'] };
  let command = trimmed;
  if (command === '~' || command.startsWith('~/')) command = path.join(os.homedir(), command.slice(1));
  // A bare name is looked up on PATH; a relative path with a separator is the workspace's.
  const hasSeparator = command.includes('/') || command.includes('\\');
  if (hasSeparator && !path.isAbsolute(command) && workspaceFolder) command = path.resolve(workspaceFolder, command);
  return { command, args: ['lsp'] };
}

module.exports = { serverCommand, DEFAULT_EXECUTABLE };
