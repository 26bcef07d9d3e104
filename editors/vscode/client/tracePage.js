// @ts-check
'use strict';

/**
 * The route preview page: the decision trace of `diddyMesh/whatRoutesHere` (the JSON of
 * `diddy-mesh route --format json`, docs/guide/routing.md) as HTML for a webview. Every value from
 * the trace is escaped: URLs, header values and rule names come from the user's config
 * and request. Pure, so plain node tests it against traces the real CLI prints.
 */

/**
 * @typedef {{line: number, character?: number, column?: number}} TracePosition
 * @typedef {{start: TracePosition, end: TracePosition}} TraceRange
 * @typedef {{index: number, name?: string | null, path?: string, range?: TraceRange}} TraceRule
 * @typedef {{index: number, name?: string, reason: string}} SkippedRule
 * @typedef {{service: string, weight: number, probability: number}} SplitBranch
 * @typedef {{url: string, status: string, latencyMs: number | null, ageSeconds: number | null, circuit: string, kept: boolean, reason: string}} TraceEndpoint
 * @typedef {{
 *   request: {method: string, url: string, host?: string, path?: string, headers?: Record<string, string>, cf?: Record<string, unknown>},
 *   outcome: string,
 *   rule?: TraceRule | null,
 *   captures?: Record<string, string>,
 *   skipped?: SkippedRule[],
 *   split?: {branches: SplitBranch[], chosen: string, reason: string} | null,
 *   service?: string | null,
 *   endpoints?: TraceEndpoint[],
 *   endpoint?: string | null,
 *   strategy?: {name: string, reason: string} | null,
 *   fallback?: {service?: string, status?: number, body?: string | null},
 *   panic?: boolean,
 *   policy?: Record<string, any> | null,
 *   notes?: string[]
 * }} DecisionTrace
 */

/**
 * Escapes text for HTML element content and attribute values.
 * @param {unknown} value
 * @returns {string}
 */
function escapeHtml(value) {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * `#3 'catalog canary'` for a rule.
 * @param {{index: number, name?: string | null}} rule
 * @returns {string}
 */
function ruleLabel(rule) {
  return `#${rule.index}` + (rule.name ? ` '${rule.name}'` : '');
}

/**
 * One table as HTML; cells are escaped.
 * @param {string[]} headings
 * @param {unknown[][]} rows
 * @returns {string}
 */
function table(headings, rows) {
  const head = headings.map((heading) => `<th>${escapeHtml(heading)}</th>`).join('');
  const body = rows
    .map((row) => '<tr>' + row.map((cell) => `<td>${escapeHtml(cell === null || cell === undefined ? '—' : cell)}</td>`).join('') + '</tr>')
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * The policy line: `timeout 5000 ms, retries 2 (backoff 100..2000 ms, jitter full, on 5xx), forward /x`.
 * @param {Record<string, any>} policy
 * @returns {string}
 */
function policyText(policy) {
  const parts = [];
  if (policy.timeout !== undefined) parts.push(`timeout ${policy.timeout} ms`);
  const retries = policy.retries;
  if (retries && retries.attempts > 0) {
    const backoff = retries.backoff || {};
    parts.push(`retries ${retries.attempts} (backoff ${backoff.base}..${backoff.max} ms, jitter ${backoff.jitter}, on ${(retries.retryOn || []).join(', ')})`);
  } else if (retries) {
    parts.push('no retries');
  }
  const breaker = policy.circuitBreaker;
  if (breaker) parts.push(`circuit breaker after ${breaker.failureThreshold} failures for ${breaker.resetTimeout} ms`);
  if (policy.forwardPath !== undefined) parts.push(`forward ${policy.forwardPath}`);
  return parts.join(', ');
}

/**
 * The headline: where the request goes, in one sentence.
 * @param {DecisionTrace} trace
 * @returns {string}
 */
function headline(trace) {
  if (trace.endpoint) return `→ ${trace.service} at ${trace.endpoint}`;
  if (trace.fallback && trace.fallback.service) return `→ fallback service ${trace.fallback.service}`;
  if (trace.fallback && trace.fallback.status !== undefined) return `→ fallback response ${trace.fallback.status}`;
  if (trace.service) return `→ ${trace.service} (no endpoint chosen)`;
  return `→ ${trace.outcome}`;
}

/**
 * The sections of the page body, in the order the router decides.
 * @param {DecisionTrace} trace
 * @returns {string[]}
 */
function sections(trace) {
  const request = trace.request;
  const out = [];
  out.push(`<h1><code>${escapeHtml(request.method)} ${escapeHtml(request.url)}</code></h1>`);
  out.push(`<p class="headline outcome-${escapeHtml(trace.outcome)}">${escapeHtml(headline(trace))} <span class="badge">${escapeHtml(trace.outcome)}</span></p>`);

  const requestRows = [['path', request.path]];
  for (const [name, value] of Object.entries(request.headers || {})) requestRows.push([`header ${name}`, value]);
  for (const [name, value] of Object.entries(request.cf || {})) requestRows.push([`cf.${name}`, value]);
  out.push('<h2>Request</h2>' + table(['', ''], requestRows));

  const skipped = trace.skipped || [];
  if (skipped.length > 0) {
    out.push('<h2>Rules passed over</h2>' + table(['rule', 'why not'], skipped.map((rule) => [ruleLabel(rule), rule.reason])));
  }

  if (trace.rule) {
    const rule = trace.rule;
    const reveal = rule.range
      ? ` <a href="#" class="reveal" data-line="${escapeHtml(rule.range.start.line)}" data-character="${escapeHtml(rule.range.start.character ?? rule.range.start.column ?? 0)}">show in editor</a>`
      : '';
    out.push(`<h2>Rule</h2><p><code>${escapeHtml(ruleLabel(rule))}</code> <code>${escapeHtml(rule.path || '')}</code>${reveal}</p>`);
  } else {
    out.push('<h2>Rule</h2><p>No rule matched.</p>');
  }
  if (trace.captures && Object.keys(trace.captures).length > 0) {
    out.push('<h2>Captures</h2>' + table(['name', 'value'], Object.entries(trace.captures)));
  }

  if (trace.split) {
    const split = trace.split;
    out.push('<h2>Split</h2>' + table(['service', 'weight', 'probability', ''], split.branches.map((branch) => [
      branch.service, branch.weight, `${Math.round(branch.probability * 1000) / 10}%`, branch.service === split.chosen ? 'chosen' : '',
    ])) + `<p>${escapeHtml(split.reason)}</p>`);
  }

  if (trace.service) {
    out.push(`<h2>Service <code>${escapeHtml(trace.service)}</code></h2>`);
    const endpoints = trace.endpoints || [];
    if (endpoints.length > 0) {
      out.push(table(['endpoint', 'status', 'latency', 'age', 'circuit', 'kept', 'why'], endpoints.map((endpoint) => [
        endpoint.url + (endpoint.url === trace.endpoint ? ' (chosen)' : ''),
        endpoint.status,
        endpoint.latencyMs === null ? null : `${endpoint.latencyMs} ms`,
        endpoint.ageSeconds === null ? null : `${endpoint.ageSeconds} s`,
        endpoint.circuit,
        endpoint.kept ? 'yes' : 'no',
        endpoint.reason,
      ])));
    }
  }
  if (trace.strategy) {
    out.push(`<p>Strategy <code>${escapeHtml(trace.strategy.name)}</code>: ${escapeHtml(trace.strategy.reason)}</p>`);
  }
  if (trace.panic) out.push('<p class="warning">Panic mode: every endpoint was unhealthy, so all were kept.</p>');
  if (trace.fallback) {
    const fallback = trace.fallback;
    const text = fallback.service ? `service ${fallback.service}` : `status ${fallback.status}` + (fallback.body ? ` "${fallback.body}"` : '');
    out.push(`<h2>Fallback</h2><p>${escapeHtml(text)}</p>`);
  }
  if (trace.policy) out.push(`<h2>Policy</h2><p>${escapeHtml(policyText(trace.policy))}</p>`);
  if (trace.notes && trace.notes.length > 0) {
    out.push('<h2>Notes</h2><ul>' + trace.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('') + '</ul>');
  }
  return out;
}

/**
 * The whole webview page. The content security policy allows only the page's own style
 * and the one script carrying `nonce`, which asks the extension to reveal the rule.
 * @param {DecisionTrace} trace
 * @param {{nonce: string, cspSource: string}} options
 * @returns {string}
 */
function renderTracePage(trace, options) {
  const nonce = escapeHtml(options.nonce);
  const csp = `default-src 'none'; style-src ${options.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<title>Route preview</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
  h1 { font-size: 1.2em; } h2 { font-size: 1em; margin-top: 1.2em; }
  table { border-collapse: collapse; } td, th { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); }
  .badge { font-size: 0.8em; padding: 0 6px; border: 1px solid var(--vscode-panel-border); border-radius: 8px; }
  .headline { font-size: 1.1em; } .warning { color: var(--vscode-editorWarning-foreground); }
</style>
</head>
<body>
${sections(trace).join('\n')}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const link of document.querySelectorAll('a.reveal')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'reveal', line: Number(link.dataset.line), character: Number(link.dataset.character) });
    });
  }
</script>
</body>
</html>
`;
}

module.exports = { renderTracePage, escapeHtml, headline, policyText };
