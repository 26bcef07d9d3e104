// The decision's policies as the Worker applies them against loopback upstreams that fail
// (500), hang (past the timeout) or refuse connections: retries (how many, on which
// conditions, for which methods, after which backoff), timeouts, the circuit breaker opening
// and the router routing around it, and the fallback response or service when nothing works.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { harness, pushConfig, putHealth, NOW, skip } from "./support/worker-harness.mjs";
import { failing, healthy, refusing, slow } from "./support/upstreams.mjs";

const servers = {};
before(async () => {
  [servers.good, servers.spare, servers.bad, servers.slow] = await Promise.all([
    healthy("good"), healthy("spare"), failing(500), slow(10_000),
  ]);
  servers.closed = await refusing();
});
after(() => Promise.all(Object.values(servers).map((server) => server.close?.())));

const endpoint = (url) => ({ url, insecure: true });

/** A mesh of one rule per service given, `/<name>/*`, and `routing.default` none. */
function mesh(services, rules = {}) {
  return {
    version: 1,
    services,
    routing: {
      rules: Object.keys(services).map((name) => ({ name, path: `/${name}/*`, service: name, ...rules[name] })),
    },
  };
}

const retries = (attempts, extra = {}) => ({
  attempts, backoff: { base: 100, max: 150, jitter: "full" }, retryOn: ["5xx", "timeout", "connect-failure"], ...extra,
});

test("retries on a listed condition, as many as the policy says, jittered backoff in bounds", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh({ flaky: { endpoints: [endpoint(servers.bad.url)], retries: retries(3) } }));
  const before_ = servers.bad.requests.length;
  const response = await mesh_.fetch("https://x.example/flaky/a");
  assert.equal(response.status, 500, "the upstream's last answer passes through when there is no fallback");
  assert.equal(await response.text(), "failing with 500");
  assert.equal(servers.bad.requests.length - before_, 4, "one attempt and three retries");
  // random() is 0.5: half of each ceiling min(max, base * 2^n) = 100, 150, 150, rounded down.
  assert.deepStrictEqual(mesh_.sleeps, [50, 75, 75]);
  assert.deepStrictEqual(mesh_.requests()[0].attempts.map((attempt) => attempt.status), [500, 500, 500, 500]);
});

test("backoff draws span 0 to the ceiling; jitter none waits the ceiling itself", { skip }, async () => {
  const cases = [[0, "full", [0, 0]], [0.9999, "full", [100, 150]], [0.5, "none", [100, 150]]];
  for (const [random, jitter, expected] of cases) {
    const mesh_ = harness({ settings: { random: () => random } });
    const policy = retries(2, { backoff: { base: 100, max: 150, jitter } });
    await pushConfig(mesh_.kv, mesh({ flaky: { endpoints: [endpoint(servers.bad.url)], retries: policy } }));
    await mesh_.fetch("https://x.example/flaky/a");
    assert.deepStrictEqual(mesh_.sleeps, expected, `random ${random}, jitter ${jitter}`);
  }
});

test("no retry on a condition retryOn does not list, nor for a method that may not repeat", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh(
    {
      strict: { endpoints: [endpoint(servers.bad.url)], retries: retries(2, { retryOn: ["connect-failure"] }) },
      writes: { endpoints: [endpoint(servers.bad.url)], retries: retries(2) },
      listed: { endpoints: [endpoint(servers.bad.url)], retries: retries(2) },
    },
    { listed: { methods: ["POST"] } }));
  const count = async (url, init) => {
    const before_ = servers.bad.requests.length;
    await mesh_.fetch(url, init);
    return servers.bad.requests.length - before_;
  };
  assert.equal(await count("https://x.example/strict/a"), 1, "500 is not in retryOn");
  assert.equal(await count("https://x.example/writes/a", { method: "POST", body: "x" }), 1, "POST is not idempotent");
  assert.equal(await count("https://x.example/writes/a", { method: "DELETE" }), 3, "DELETE is");
  assert.equal(await count("https://x.example/listed/a", { method: "POST", body: "x" }), 3,
    "a rule that lists POST in methods says it may repeat");
  assert.deepStrictEqual(servers.bad.requests.slice(-3).map((request) => request.body), ["x", "x", "x"],
    "the body is sent again with each retry");
});

test("an attempt past the timeout is cut, retried on timeout, and answered 504", { skip }, async () => {
  const mesh_ = harness({ settings: { timer: () => performance.now() } });
  await pushConfig(mesh_.kv, mesh({
    hangs: { endpoints: [endpoint(servers.slow.url)], timeout: 150, retries: retries(1, { retryOn: ["timeout"] }) },
  }));
  const started = performance.now();
  const response = await mesh_.fetch("https://x.example/hangs/a");
  const elapsed = performance.now() - started;
  assert.equal(response.status, 504);
  assert.match(await response.text(),
    /^diddy-mesh: service 'hangs' did not answer in time \(2 attempts; no answer within 150 ms\)/);
  assert.ok(elapsed >= 300 && elapsed < 2000, `two attempts of 150 ms took ${elapsed.toFixed(0)} ms`);
  const [line] = mesh_.requests();
  assert.deepStrictEqual(line.attempts.map((attempt) => attempt.error), ["timeout", "timeout"]);
  for (const attempt of line.attempts) assert.ok(attempt.ms >= 140 && attempt.ms < 1000, `attempt of ${attempt.ms} ms`);
});

test("a refused connection is a connect-failure: retried when listed, then 502", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh({ gone: { endpoints: [endpoint(servers.closed)], retries: retries(1) } }));
  const response = await mesh_.fetch("https://x.example/gone/a");
  assert.equal(response.status, 502);
  assert.match(await response.text(),
    /^diddy-mesh: service 'gone' could not be reached \(2 attempts; the connection failed/);
  assert.deepStrictEqual(mesh_.requests()[0].attempts.map((attempt) => attempt.error),
    ["connect-failure", "connect-failure"]);
});

test("the breaker opens after failureThreshold failures; the endpoint waits for its trial", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh({
    pair: {
      endpoints: [endpoint(servers.bad.url), endpoint(servers.spare.url)],
      circuitBreaker: { failureThreshold: 2, resetTimeout: 10_000, halfOpenRequests: 1, maxResetTimeout: 60_000 },
    },
  }));
  const hits = () => [servers.bad.requests.length, servers.spare.requests.length];
  const [bad0, spare0] = hits();
  const statuses = [];
  for (let index = 0; index < 8; index++) statuses.push((await mesh_.fetch("https://x.example/pair/a")).status);
  // Round-robin alternates until the second failure opens the breaker; then only spare.
  assert.deepStrictEqual(statuses, [500, 200, 500, 200, 200, 200, 200, 200]);
  assert.deepStrictEqual(hits(), [bad0 + 2, spare0 + 6]);
  const skipped = mesh_.requests().at(-1);
  assert.equal(skipped.endpoint, `${servers.spare.url}/`);

  // After resetTimeout one trial goes through; it fails, so the circuit opens for twice as long.
  mesh_.advance(10_000);
  const trials = [];
  for (let index = 0; index < 4; index++) trials.push((await mesh_.fetch("https://x.example/pair/a")).status);
  assert.equal(servers.bad.requests.length, bad0 + 3, "one trial request while half-open");
  assert.ok(trials.includes(500));
  mesh_.advance(10_000);
  for (let index = 0; index < 4; index++) await mesh_.fetch("https://x.example/pair/a");
  assert.equal(servers.bad.requests.length, bad0 + 3, "open for 20 s after the second trip, not 10");
  mesh_.advance(10_000);
  for (let index = 0; index < 4; index++) await mesh_.fetch("https://x.example/pair/a");
  assert.equal(servers.bad.requests.length, bad0 + 4);
});

test("the router routes around an open breaker itself: the others share the traffic in turn", { skip }, async () => {
  const mesh_ = harness();
  const breaker = { failureThreshold: 1, resetTimeout: 60_000 };
  const config = (timeout) => mesh({
    trio: {
      endpoints: [endpoint(servers.bad.url), endpoint(servers.good.url), endpoint(servers.spare.url)],
      circuitBreaker: breaker, timeout,
    },
  });
  await pushConfig(mesh_.kv, config(5000));
  assert.equal((await mesh_.fetch("https://x.example/trio/a")).status, 500);
  const served = [];
  for (let index = 0; index < 6; index++) {
    served.push((await (await mesh_.fetch("https://x.example/trio/a")).json()).name);
  }
  // Each decision already leaves the open endpoint out, so the round-robin turns over the two others.
  const turns = served[0] === "good" ? ["good", "spare"] : ["spare", "good"];
  assert.deepStrictEqual(served, [...turns, ...turns, ...turns]);

  // A new config starts every breaker closed, as it starts the router's state.
  const bad = servers.bad.requests.length;
  await pushConfig(mesh_.kv, config(4000));
  mesh_.advance(10_000);
  await mesh_.fetch("https://x.example/trio/a");
  await mesh_.settle();
  for (let index = 0; index < 3; index++) await mesh_.fetch("https://x.example/trio/a");
  assert.equal(servers.bad.requests.length, bad + 1);
});

test("a breaker that opens during the retries sends the rest of them to another endpoint", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh({
    pair: {
      endpoints: [endpoint(servers.bad.url), endpoint(servers.good.url)], retries: retries(3),
      circuitBreaker: { failureThreshold: 2, resetTimeout: 60_000 },
    },
  }));
  const response = await mesh_.fetch("https://x.example/pair/a");
  assert.equal(response.status, 200);
  assert.equal((await response.json()).name, "good");
  const [line] = mesh_.requests();
  assert.deepStrictEqual(line.attempts.map((attempt) => [attempt.endpoint, attempt.status]),
    [[`${servers.bad.url}/`, 500], [`${servers.bad.url}/`, 500], [`${servers.good.url}/`, 200]]);
  assert.equal(line.endpoint, `${servers.good.url}/`);
});

test("no usable endpoint: the fallback response, and no upstream is asked", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh({
    resting: { endpoints: [endpoint(servers.good.url)], fallback: { status: 503, body: "<b>resting</b>" } },
  }));
  await putHealth(mesh_.kv, "resting", servers.good.url, { s: "unhealthy", t: NOW - 1000, l: null, c: "closed" });
  const before_ = servers.good.requests.length;
  const response = await mesh_.fetch("https://x.example/resting/a");
  assert.equal(response.status, 503);
  assert.equal(await response.text(), "<b>resting</b>");
  assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8", "the config's text is never HTML");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(servers.good.requests.length, before_);
  assert.equal(mesh_.requests()[0].fallback, "response");
});

test("every attempt failed: the fallback response, or the fallback service if it may repeat", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh({
    answered: { endpoints: [endpoint(servers.bad.url)], retries: retries(1), fallback: { status: 503, body: "sorry" } },
    backed: { endpoints: [endpoint(servers.bad.url)], retries: retries(1), fallback: "reserve" },
    reserve: { endpoints: [endpoint(servers.good.url)] },
  }));
  const answered = await mesh_.fetch("https://x.example/answered/a");
  assert.deepStrictEqual([answered.status, await answered.text()], [503, "sorry"]);
  assert.equal(mesh_.requests()[0].attempts.length, 2);

  const backed = await mesh_.fetch("https://x.example/backed/a?q=1");
  assert.equal(backed.status, 200);
  assert.deepStrictEqual(await backed.json(), { name: "good", method: "GET", url: "/backed/a?q=1", body: "" });
  const line = mesh_.requests()[1];
  assert.deepStrictEqual([line.fallback, line.service, line.fallbackService, line.endpoint, line.attempts.length],
    ["service", "backed", "reserve", `${servers.good.url}/`, 3]);

  // A POST was already sent once; it is not sent to another service behind the client's back.
  const posted = await mesh_.fetch("https://x.example/backed/a", { method: "POST", body: "pay" });
  assert.equal(posted.status, 500);
  assert.equal(mesh_.requests()[2].attempts.length, 1);
});
