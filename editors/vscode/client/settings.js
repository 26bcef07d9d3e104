// @ts-check
'use strict';

/**
 * The `diddyMesh` settings section as the server reads it (docs/guide/editors.md: `initializationOptions`
 * and `workspace/didChangeConfiguration`). The setting names come from package.json's
 * `contributes.configuration`, so the manifest is the one list on the client side; the
 * settings under `diddyMesh.server.` are the extension's own (which executable to run)
 * and are never sent. Pure, so plain node tests it.
 */

const manifest = require('../package.json');

const SECTION = 'diddyMesh';
const CLIENT_ONLY_PREFIX = 'diddyMesh.server.';
/**
 * Settings that grant the workspace something (the API token for its Cloudflare ids): in a
 * workspace VS Code does not trust they are sent as `false`, whatever any settings file says
 * (docs/security.md).
 */
const TRUST_GATED = ['diddyMesh.allowCloudflare'];

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
 * @param {boolean} [trusted] whether VS Code trusts the workspace (`workspace.isTrusted`)
 * @returns {{diddyMesh: Record<string, unknown>}}
 */
function serverSettings(read, trusted = true) {
  /** @type {Record<string, unknown>} */
  const section = {};
  for (const name of serverSettingNames()) {
    const value = !trusted && TRUST_GATED.includes(name) ? false : read(name);
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

module.exports = { SECTION, CLIENT_ONLY_PREFIX, TRUST_GATED, declaredSettings, serverSettingNames, serverSettings };
