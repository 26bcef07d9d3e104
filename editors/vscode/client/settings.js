// @ts-check
'use strict';

/**
 * The `diddyMesh` settings section as the server reads it (lsp.md: `initializationOptions`
 * and `workspace/didChangeConfiguration`). The setting names come from package.json's
 * `contributes.configuration`, so the manifest is the one list on the client side; the
 * settings under `diddyMesh.server.` are the extension's own (which executable to run)
 * and are never sent. Pure, so plain node tests it.
 */

const manifest = require('../package.json');

const SECTION = 'diddyMesh';
const CLIENT_ONLY_PREFIX = 'diddyMesh.server.';

/**
 * Every `diddyMesh.*` setting the extension declares.
 * @returns {string[]}
 */
function declaredSettings() {
  return Object.keys(manifest.contributes.configuration.properties);
}

/**
 * The declared settings that the server reads (all but the client-only ones).
 * @returns {string[]}
 */
function serverSettingNames() {
  return declaredSettings().filter((name) => !name.startsWith(CLIENT_ONLY_PREFIX));
}

/**
 * The `diddyMesh` section for the server: nested objects (`{live: {deadlineMs: 500}}`),
 * the shape VS Code itself uses for a section. Unset values (null, undefined, empty
 * strings) are left out, so the server applies its own defaults and rules.
 * @param {(name: string) => unknown} read the value of a full setting name
 * @returns {{diddyMesh: Record<string, unknown>}}
 */
function serverSettings(read) {
  /** @type {Record<string, unknown>} */
  const section = {};
  for (const name of serverSettingNames()) {
    const value = read(name);
    if (value === undefined || value === null || value === '') continue;
    const path = name.slice(SECTION.length + 1).split('.');
    /** @type {Record<string, any>} */
    let target = section;
    for (const part of path.slice(0, -1)) {
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = {};
      target = target[part];
    }
    target[path[path.length - 1]] = value;
  }
  return { [SECTION]: section };
}

module.exports = { SECTION, CLIENT_ONLY_PREFIX, declaredSettings, serverSettingNames, serverSettings };
