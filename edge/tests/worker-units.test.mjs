// The Worker's pure parts against their specifications: the circuit breaker against the
// cases of Tests/MeshRouterTests/CircuitBreakerTests.swift (the same numbers, the same
// answers), the retry policy against RetryBackoff.swift's rules, traceparent against the W3C
// format, the upstream URL, a request body read once and sent again, and the request the
// router is sent, in the field form. No module needed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CircuitBreaker } from "../worker/circuit-breaker.mjs";
import { readBody } from "../worker/request-body.mjs";
import { conditionMatches, RetryPolicy } from "../worker/retry-policy.mjs";
import { fieldFormProblem, requestFields } from "../worker/request-fields.mjs";
import { routerRequest } from "../worker/router-request.mjs";
import { parseTraceparent } from "../worker/trace-context.mjs";
import { upstreamURL } from "../worker/upstream.mjs";

const settings = { failureThreshold: 3, resetTimeout: 1000, halfOpenRequests: 2, maxResetTimeout: 5000 };

function tripped(at = 0) {
  const breaker = new CircuitBreaker(settings);
  for (let index = 0; index < settings.failureThreshold; index++) breaker.recordFailure(at);
  return breaker;
}

test("breaker: closed until failureThreshold consecutive failures; a success resets the count", () => {
  const breaker = new CircuitBreaker(settings);
  breaker.recordFailure(0);
  breaker.recordFailure(1);
  breaker.recordSuccess(2);
  breaker.recordFailure(3);
  breaker.recordFailure(4);
  assert.equal(breaker.state, "closed");
  assert.equal(breaker.consecutiveFailures, 2);
  assert.equal(breaker.allowRequest(5), true);
  breaker.recordFailure(10);
  assert.deepStrictEqual([breaker.state, breaker.trips, breaker.openedAtMs, breaker.resetAtMs], ["open", 1, 10, 1010]);
});

test("breaker: open refuses until resetTimeout has passed, then lets halfOpenRequests through", () => {
  const breaker = tripped(0);
  assert.equal(breaker.allowRequest(999), false);
  assert.equal(breaker.refuses(999), true);
  assert.equal(breaker.stateAt(999), "open");
  assert.equal(breaker.stateAt(1000), "half-open");
  assert.equal(breaker.state, "open", "reading the state does not change it");
  assert.equal(breaker.refuses(1000), false);
  assert.equal(breaker.allowRequest(1000), true);
  assert.equal(breaker.state, "half-open");
  assert.equal(breaker.allowRequest(1001), true);
  assert.equal(breaker.refuses(1002), true);
  assert.equal(breaker.allowRequest(1002), false, "only two trial requests");
});

test("breaker: a success while half-open closes and forgets the trips", () => {
  const breaker = tripped(0);
  assert.equal(breaker.allowRequest(1000), true);
  breaker.recordSuccess(1050);
  assert.deepStrictEqual([breaker.state, breaker.trips, breaker.resetAtMs], ["closed", 0, null]);
  for (let index = 0; index < 3; index++) breaker.recordFailure(2000);
  assert.equal(breaker.resetAtMs, 3000, "after a close the open period starts from resetTimeout again");
});

test("breaker: a failure while half-open re-opens for twice as long, up to maxResetTimeout", () => {
  const breaker = tripped(0);
  let now = 0;
  const periods = [];
  for (let index = 0; index < 5; index++) {
    now = breaker.resetAtMs ?? now;
    periods.push(now - (breaker.openedAtMs ?? 0));
    assert.equal(breaker.allowRequest(now), true);
    breaker.recordFailure(now);
    assert.equal(breaker.state, "open");
  }
  assert.deepStrictEqual(periods, [1000, 2000, 4000, 5000, 5000]);
  assert.equal(breaker.trips, 6);
});

test("breaker: open durations follow min(max, reset * 2^(trip-1)); outcomes while open are ignored", () => {
  const breaker = new CircuitBreaker(
    { failureThreshold: 5, resetTimeout: 30_000, halfOpenRequests: 1, maxResetTimeout: 300_000 });
  assert.deepStrictEqual([1, 2, 3, 4, 5, 6].map((trip) => breaker.openDurationMs(trip)),
    [30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
  assert.equal(breaker.openDurationMs(1_000_000), 300_000);
  const open = tripped(0);
  open.recordSuccess(10);
  open.recordFailure(20);
  assert.deepStrictEqual([open.state, open.trips, open.resetAtMs], ["open", 1, 1000]);
});

test("breaker: out-of-range settings are read as the nearest sensible ones", () => {
  const breaker = new CircuitBreaker(
    { failureThreshold: 0, resetTimeout: 10_000, halfOpenRequests: 0, maxResetTimeout: 100 });
  assert.deepStrictEqual(breaker.settings,
    { failureThreshold: 1, resetTimeout: 10_000, halfOpenRequests: 1, maxResetTimeout: 10_000 });
  breaker.recordFailure(0);
  assert.deepStrictEqual([breaker.state, breaker.resetAtMs], ["open", 10_000]);
});

test("retryOn entries: status classes, exact statuses, connect-failure and timeout; nothing else", () => {
  const cases = [
    [503, "5xx", true], [500, "5xx", true], [499, "5xx", false], [429, "4xx", true], [429, "429", true],
    [503, "429", false], [503, "6xx", false], [503, "5XX", false], [503, "5x", false], [503, "503 ", false],
    [503, "+503", true], [503, "05O3", false],
    ["connect-failure", "connect-failure", true], ["timeout", "timeout", true], ["timeout", "5xx", false],
    [504, "timeout", false], ["connect-failure", "timeout", false],
  ];
  for (const [condition, entry, expected] of cases) {
    assert.equal(conditionMatches(condition, entry), expected, `${condition} against ${entry}`);
  }
});

test("retry policy: ceilings min(max, base * 2^attempt), jitter, the budget and the method", () => {
  const policy = new RetryPolicy(
    { attempts: 3, backoff: { base: 100, max: 2000, jitter: "full" }, retryOn: ["5xx"] }, true);
  assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 100, 2000].map((attempt) => policy.ceilingMs(attempt)),
    [100, 200, 400, 800, 1600, 2000, 2000, 2000]);
  assert.deepStrictEqual([0, 0.5, 0.999999].map((random) => policy.delayMs(2, () => random)), [0, 200, 400]);
  const unknown = new RetryPolicy(
    { attempts: 1, backoff: { base: 100, max: 100, jitter: "sometimes" }, retryOn: [] }, true);
  assert.equal(unknown.delayMs(0, () => 0.5), 50, "an unknown jitter is full jitter, as there");
  const none = new RetryPolicy({ attempts: 1, backoff: { base: 0, max: 100, jitter: "none" }, retryOn: [] }, true);
  assert.deepStrictEqual([none.ceilingMs(2000), none.delayMs(3, () => 0.5)], [0, 0]);
  assert.deepStrictEqual([0, 1, 2, 3].map((attempt) => policy.shouldRetry(502, attempt)), [true, true, true, false]);
  assert.equal(policy.shouldRetry(404, 0), false);
  assert.equal(policy.shouldRetry(502, -1), false);
  assert.equal(new RetryPolicy({ attempts: 3, retryOn: ["5xx"] }, false).shouldRetry(502, 0), false);
  assert.equal(new RetryPolicy(undefined, true).shouldRetry(502, 0), false, "no policy, no retries");
});

test("traceparent: only the W3C format, in lower-case hex, with non-zero ids", () => {
  const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  const parent = "00f067aa0ba902b7";
  const read = (flags) => ({ traceId: trace, parentId: parent, flags });
  assert.deepStrictEqual(parseTraceparent(` 00-${trace}-${parent}-01 `), read("01"));
  assert.deepStrictEqual(parseTraceparent(`01-${trace}-${parent}-00-extra`), read("00"));
  for (const bad of [null, 7, `00-${trace}-${parent}-1`, `0-${trace}-${parent}-01`, `zz-${trace}-${parent}-01`,
    `ff-${trace}-${parent}-01`, `00-${trace}-${parent}-01-extra`, `01-${trace}-${parent}-01extra`,
    `00-${trace.toUpperCase()}-${parent}-01`, `00-${"0".repeat(32)}-${parent}-01`, `00-${trace}-${"0".repeat(16)}-01`,
    `00_${trace}_${parent}_01`, `00-${trace}-${parent}-0g`]) {
    assert.equal(parseTraceparent(bad), null, String(bad));
  }
});

test("upstream URL: the endpoint's origin and base path, the forwarded path, the client's query", () => {
  const cases = [
    ["https://api.example", "/users/7", "?a=1", "https://api.example/users/7?a=1"],
    ["https://api.example/", "/", "", "https://api.example/"],
    ["https://api.example/base/", "/users/7", "", "https://api.example/base/users/7"],
    ["https://user:pw@api.example:8443/base?x=y#f", "/a%2Fb", "?q=%20", "https://api.example:8443/base/a%2Fb?q=%20"],
    ["http://127.0.0.1:9/", "no-slash", "", "http://127.0.0.1:9/"],
  ];
  for (const [endpoint, path, search, expected] of cases) {
    assert.equal(upstreamURL(endpoint, path, search)?.href, expected, endpoint);
  }
  for (const endpoint of ["ftp://api.example", "javascript:alert(1)", "not a url", "file:///etc/passwd"]) {
    assert.equal(upstreamURL(endpoint, "/", ""), null, endpoint);
  }
});

test("a small body is kept to be sent again; a large one is streamed once, whole", async () => {
  const small = await readBody(new Request("https://x.example/", { method: "POST", body: "hello" }), 16, 1000);
  assert.deepStrictEqual([small.replayable, new TextDecoder().decode(small.bytes)], [true, "hello"]);
  assert.deepStrictEqual(await readBody(new Request("https://x.example/"), 16, 1000),
    { replayable: true, bytes: null });
  const text = "x".repeat(100_000);
  const large = await readBody(new Request("https://x.example/", { method: "POST", body: new Blob([text]).stream(),
    duplex: "half" }), 1000, 1000);
  assert.equal(large.replayable, false);
  assert.equal(await new Response(large.stream).text(), text, "the chunks read are given back in front of the rest");
  const declared = new Request("https://x.example/",
    { method: "POST", body: "y".repeat(20), headers: { "content-length": "20" } });
  assert.equal((await readBody(declared, 16, 1000)).replayable, false, "a declared length over the limit is not read");
  const stalled = new Request("https://x.example/",
    { method: "POST", body: new ReadableStream({ pull() {} }), duplex: "half" });
  await assert.rejects(readBody(stalled, 16, 50), /reading the request body took longer than 50 ms/);
});

test("router request: only the headers the config reads, each as Headers gives it", () => {
  const request = new Request("https://api.example/a?b=1", {
    method: "POST", headers: [["Cookie", "a=1"], ["cookie", "b=2"], ["X-Preview", "1"], ["accept", "*/*"]],
  });
  request.cf = { colo: "FRA", country: "DE", continent: "EU", latitude: "50.1", longitude: 8.6, city: "Frankfurt" };
  const cf = { colo: "FRA", country: "DE", continent: "EU", latitude: "50.1", longitude: 8.6 };
  // Headers joins a repeated header (undici joins cookies with "; "); both forms send that.
  const cookie = request.headers.get("cookie");
  assert.match(cookie, /^a=1[;,] b=2$/);
  assert.deepStrictEqual(routerRequest(request, ["cookie", "x-preview", "x-user-id"]), {
    method: "POST", url: "https://api.example/a?b=1", headers: { cookie, "x-preview": "1" }, cf,
  });
  assert.deepStrictEqual(routerRequest(request, []).headers, {});
  // A report without the list (an older module): every header, as before.
  assert.deepStrictEqual(routerRequest(request, undefined).headers, {
    accept: "*/*", cookie, "x-preview": "1",
  });
  // An empty cf string, or a value of another kind, is sent as absent: the field form, the only
  // one the module reads, has no empty value.
  request.cf = { colo: "", country: 7, continent: "EU", latitude: "", longitude: true };
  const sent = routerRequest(request, []);
  assert.deepStrictEqual(sent.cf, { colo: null, country: null, continent: "EU", latitude: null, longitude: null });
  assert.notEqual(requestFields(sent), null);
  delete request.cf;
  assert.notEqual(requestFields(routerRequest(request, undefined)), null, "no cf at all");
});

test("request fields: the Worker's requests in the field form; what the form cannot carry, null and why", () => {
  const request = new Request("https://api.example/a?b=1", { method: "POST", headers: [["Cookie", "a=1"]] });
  request.cf = { colo: "FRA", country: "DE", continent: "EU", latitude: "50.1", longitude: 8.6 };
  const N = "\0";
  assert.equal(requestFields(routerRequest(request, ["cookie"])),
    `${N}POST${N}https://api.example/a?b=1${N}FRA${N}DE${N}EU${N}50.1${N}8.6${N}cookie${N}a=1`);
  // Absent, null and non-finite (JSON writes null) are empty fields; an absent method is GET.
  assert.equal(requestFields({ url: "u", cf: { colo: null, latitude: NaN, longitude: -0.5 } }), `${N}${N}u${N}${N}${N}${N}${N}-0.5`);
  assert.equal(requestFields({ url: "u", method: null, headers: null, cf: null }), `${N}${N}u${N}${N}${N}${N}${N}`);
  // A surrogate pair has a UTF-8 form, so it is carried; a lone surrogate is not.
  assert.equal(requestFields({ url: "u", headers: { a: "\ud83d\ude00" } }), `${N}${N}u${N}${N}${N}${N}${N}${N}a${N}\ud83d\ude00`);
  const unsendable = [
    {}, { url: 5 }, { url: "u", method: "" }, { url: "u", method: 1 }, { url: "u", extra: 1 }, { url: "u\0" },
    { url: "u", headers: { a: "\0" } }, { url: "u", headers: { "a\0": "b" } }, { url: "u", headers: { a: null } },
    { url: "u", headers: [] }, { url: "u", headers: "a" }, { url: "u", cf: { colo: "" } }, { url: "u", cf: { city: "x" } },
    { url: "u", cf: { latitude: true } }, { url: "u", cf: [] }, { url: "u\ud800" }, { url: "u", headers: { a: "\udc00b" } },
    { url: "u", method: undefined }, { url: "u", cf: { colo: undefined } },
  ];
  for (const value of unsendable) {
    assert.equal(requestFields(value), null, JSON.stringify(value));
    assert.equal(typeof fieldFormProblem(value), "string", JSON.stringify(value));
  }
  assert.equal(fieldFormProblem({ url: "u" }), null, "a request with a field form has no problem");
  // Each kind of problem is named.
  for (const [value, problem] of [
    [{ url: "u", extra: 1 }, "it has a member other than method, url, headers and cf, or one set to undefined"],
    [{ url: "u", method: "" }, "its method is not a non-empty string"], [{ url: 5 }, "its url is not a string"],
    [{ url: "u", cf: [] }, "its cf is not an object"],
    [{ url: "u", cf: { city: "x" } }, "its cf has a member other than colo, country, continent, latitude and " +
      "longitude, or one set to undefined"],
    [{ url: "u", cf: { colo: "FRA", latitude: true } }, "its cf.latitude is an empty string or neither a string " +
      "nor a number"],
    [{ url: "u", headers: "a" }, "its headers are not an object"],
    [{ url: "u", headers: { a: null } }, "the value of its header 'a' is not a string"],
    [{ url: "u", headers: { "a\0": "b" } }, "a value holds a NUL byte, which separates the fields"],
    [{ url: "u\ud800" }, "a value holds a lone surrogate, which has no UTF-8 form"],
  ]) {
    assert.equal(fieldFormProblem(value), problem, JSON.stringify(value));
  }
});
