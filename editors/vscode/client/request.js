// @ts-check
'use strict';

/**
 * The request line typed into "Diddy-Mesh: What routes here": a URL alone (GET), or a
 * method and a URL (`POST https://api.example.com/api/payments/1`). Header lines are
 * not asked for: the preview is about which rule and service a URL reaches. Pure, so
 * plain node tests it.
 */

const METHOD = /^[A-Za-z]+$/;

/**
 * @typedef {{method: string, url: string}} RouteRequest
 * @typedef {{error: string}} RequestLineError
 */

/**
 * Parses a request line into the `request` member of `diddyMesh/whatRoutesHere`.
 * @param {string} line
 * @returns {RouteRequest | RequestLineError}
 */
function parseRequestLine(line) {
  const words = line.trim().split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 0) return { error: 'Type a URL, e.g. https://api.example.com/api/users/42' };
  if (words.length > 2) return { error: 'Type a URL, or a method and a URL: GET https://api.example.com/path' };
  const [method, url] = words.length === 2 ? [words[0], words[1]] : ['GET', words[0]];
  if (!METHOD.test(method)) return { error: `'${method}' is not an HTTP method` };
  /** @type {URL} */
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `'${url}' is not an absolute URL (it needs https:// and a host)` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { error: `'${url}' is not an http(s) URL` };
  }
  return { method: method.toUpperCase(), url };
}

module.exports = { parseRequestLine };
