// @ts-check
'use strict';

/**
 * Which files are mesh configs (docs/guide/config-reference.md): `diddy-mesh.json`, `diddy-mesh.jsonc`,
 * `*.mesh.json`, `*.mesh.jsonc`, and JSON files whose top-level `$schema` ends in
 * `diddy-mesh.schema.json`. The names are handled by the language contribution in
 * package.json; the `$schema` rule needs the text, so the extension checks JSON documents
 * with `hasMeshSchema` when they open. This module does not need VS Code, so it is
 * tested with plain node.
 */

const SCHEMA_SUFFIX = 'diddy-mesh.schema.json';

/**
 * Whether a file name (a base name or a path, either slash) is reserved for mesh configs.
 * @param {string} fileName
 * @returns {boolean}
 */
function isMeshConfigName(fileName) {
  const base = fileName.split(/[\\/]/).pop() || '';
  const lowered = base.toLowerCase();
  return lowered === 'diddy-mesh.json' || lowered === 'diddy-mesh.jsonc'
    || lowered.endsWith('.mesh.json') || lowered.endsWith('.mesh.jsonc');
}

/**
 * The value of the top-level `$schema` member of a JSONC text, or undefined. Comments,
 * strings and nesting are tracked, so a `$schema` inside a nested object or a comment
 * does not count. Only the first 64 KiB are read: `$schema` comes first in practice, and
 * opening a large unrelated JSON file must stay cheap.
 * @param {string} text
 * @returns {string | undefined}
 */
function topLevelSchema(text) {
  const limit = Math.min(text.length, 64 * 1024);
  let depth = 0;
  let index = 0;
  /** @type {string | undefined} */
  let pendingKey;
  let expectValueOf = /** @type {string | undefined} */ (undefined);
  while (index < limit) {
    const char = text[index];
    if (char === '/' && text[index + 1] === '/') {
      const end = text.indexOf('\n', index);
      index = end < 0 ? limit : end + 1;
      continue;
    }
    if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end < 0 ? limit : end + 2;
      continue;
    }
    if (char === '"') {
      const [value, next] = readString(text, index, limit);
      if (value === undefined) return undefined;
      index = next;
      if (depth === 1) {
        if (expectValueOf === '$schema') return value;
        if (expectValueOf === undefined) pendingKey = value;
      }
      expectValueOf = undefined;
      continue;
    }
    if (char === ':' && depth === 1 && pendingKey !== undefined) {
      expectValueOf = pendingKey;
      pendingKey = undefined;
    } else if (char === '{' || char === '[') {
      depth += 1;
      expectValueOf = undefined;
    } else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth <= 0) return undefined;
    } else if (char === ',') {
      pendingKey = undefined;
      expectValueOf = undefined;
    } else if (!/\s/.test(char)) {
      expectValueOf = undefined;
    }
    index += 1;
  }
  return undefined;
}

/**
 * Reads the JSON string starting at the quote at `start`.
 * @param {string} text
 * @param {number} start
 * @param {number} limit
 * @returns {[string | undefined, number]} the decoded value (undefined when unterminated) and the index after it
 */
function readString(text, start, limit) {
  let index = start + 1;
  let raw = '';
  while (index < limit) {
    const char = text[index];
    if (char === '\\') {
      raw += text.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (char === '"') {
      try {
        return [JSON.parse('"' + raw + '"'), index + 1];
      } catch {
        return [raw, index + 1];
      }
    }
    if (char === '\n') return [undefined, index];
    raw += char;
    index += 1;
  }
  return [undefined, index];
}

/**
 * Whether a JSON(C) text declares the mesh config schema at its top level.
 * @param {string} text
 * @returns {boolean}
 */
function hasMeshSchema(text) {
  const schema = topLevelSchema(text);
  return typeof schema === 'string' && schema.endsWith(SCHEMA_SUFFIX);
}

module.exports = { isMeshConfigName, topLevelSchema, hasMeshSchema, SCHEMA_SUFFIX };
