// The edge router's byte ABI (edge/README.md) held to its contract: statuses, the output
// buffer, refused inputs that leave the module working, and memory that does not grow
// with the number of decisions. Needs only the module: `node --test edge/tests/`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { requestFields } from "../worker/request-fields.mjs";
import { cliMissing, cliPath, planOf } from "./support/plans.mjs";
import { WasmRouter } from "./wasm-router.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const modulePath = process.env.DIDDY_MESH_WASM ?? join(root, ".build/wasm/diddy-mesh-router.wasm");
const shop = readFileSync(join(root, "examples/shop/diddy-mesh.jsonc"));
const skip = existsSync(modulePath) ? cliMissing ?? false : `${modulePath} is missing (make wasm builds it)`;
if (skip) console.log(`# skipped: ${skip}`);

const OK = 0, BAD_REQUEST = 1, NO_CONFIG = 2, TOO_LARGE = 3, INVALID_ARGUMENTS = 4, BAD_PLAN = 5;
const users = { url: "https://api.shop.example/api/users/42", cf: { continent: "EU" } };
const arrays = (depth) => "[".repeat(depth) + "]".repeat(depth);
const objects = (depth) => "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
const N = "\0";
/** The field form of `{url}`, written by hand: an empty method (GET), the URL, five empty cf fields. */
const fieldsOf = (url) => N + N + url + N + N + N + N + N;
/** What mesh_route answers any request that is not in the field form. */
const NOT_FIELDS = "the request's fields must each start with a NUL byte";

test("before a load, every export but mesh_load answers no config", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  assert.equal(router.wasm.mesh_output_len(), 0);
  for (const { status, answer } of [router.route(users), router.report(), router.reset()]) {
    assert.equal(status, NO_CONFIG);
    assert.deepStrictEqual(answer, { error: "no config is loaded: call mesh_load first" });
  }
});

test("a load answers the report; an empty config loads with nothing to route to", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  assert.deepStrictEqual(router.load(shop), {
    status: OK,
    answer: {
      errors: 0, warnings: 0, services: 8, rules: 7, binding: "MESH_KV", registeredServices: ["search"],
      readHeaders: ["cookie", "x-preview"], config: createHash("sha256").update(shop).digest("hex"), findings: [],
    },
  });
  assert.deepStrictEqual(router.report(), router.load(shop));
  const empty = router.load("");
  assert.equal(empty.status, OK);
  assert.equal(empty.answer.services, 0);
  const { status, answer } = router.route(users);
  assert.equal(status, OK);
  assert.equal(answer.outcome, "no-route");
  assert.equal(answer.service, null);
});

test("a refused load keeps the config loaded before it", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  // A length past the cap is refused before the pointer is read, so none is needed.
  assert.deepStrictEqual(router.callRaw("mesh_load", 0, 16 * 1024 * 1024 + 1), {
    status: TOO_LARGE, answer: { error: "the route plan is 16777217 bytes long; at most 16777216 are accepted" },
  });
  assert.equal(router.callRaw("mesh_load", 0, 10).status, INVALID_ARGUMENTS);
  assert.equal(router.callRaw("mesh_load", 8, -1).status, INVALID_ARGUMENTS);
  assert.equal(router.report().answer.services, 8);
  assert.equal(router.route(users).answer.service, "user-service");
});

test("a config's text, another plan format and damaged plans are refused; the one before stays", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  const plan = planOf(shop);
  const otherFormat = Uint8Array.from(plan);
  otherFormat[7] = 9;
  const cases = [
    [shop, /^this is a config's text, not its route plan: compile it with `diddy-mesh config plan`/],
    [new TextEncoder().encode("// a comment\n{}"), /^this is a config's text/],
    [new Uint8Array([1, 2, 3]), /^these bytes are not a route plan/],
    [otherFormat, /^the route plan is format 9 and this router reads format 3/],
    [plan.subarray(0, plan.length - 1), /^the route plan is damaged: the input ends early \(at byte \d+\)$/],
    [Uint8Array.from([...plan, 0]), /^the route plan is damaged: 1 bytes follow the plan's end/],
  ];
  for (const [bytes, message] of cases) {
    const { status, answer } = router.loadRaw(bytes);
    assert.equal(status, BAD_PLAN, JSON.stringify(answer));
    assert.match(answer.error, message);
  }
  assert.equal(router.report().answer.services, 8);
  assert.equal(router.route(users).answer.service, "user-service");
});

test("the plans of configs nested to the parser's limit and past it load without a trap", { skip }, async () => {
  // The CLI analyses these configs; the module reads their plans, which hold only what
  // routing reads, without recursion.
  const router = await WasmRouter.open(modulePath);
  for (const depth of [256, 257, 100000]) {
    const configs = [
      `{"services": ${arrays(depth)}}`,
      `{"services": [{"name": "a", "endpoints": [{"url": "https://a.example", "metadata": ${objects(depth)}}]}],
        "routing": {"rules": [{"path": "/*", "service": "a", "headers": ${objects(depth)}}]}}`,
    ];
    for (const config of configs) {
      const { status, answer } = router.load(config);
      assert.equal(status, OK, `depth ${depth}: ${config.slice(0, 40)}`);
      assert.ok(answer.errors > 0, `depth ${depth}: a config this broken has errors`);
    }
  }
  assert.equal(router.load(shop).answer.errors, 0);
  assert.equal(router.route(users).answer.service, "user-service");
});

test("requests, health and open circuits nested past any parser's limit: refused unread, no trap", { skip }, async () => {
  // Nothing the module reads nests: requests, health and open circuits come in field forms,
  // read in one flat pass, so JSON however deep is refused unread; and it matches paths
  // segment by segment: the stack scripts/wasm-build.sh reserves (64 KiB; these pass with 16)
  // must hold the deepest of them.
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  // Strings are sent as they are.
  for (const depth of [100, 255, 256, 257, 300, 100000]) {
    for (const nested of [arrays(depth), objects(depth)]) {
      const request = router.route(`{"url": "https://api.shop.example/api/users/1", "cf": {"colo": ${nested}}}`);
      assert.deepStrictEqual(request, { status: BAD_REQUEST, answer: { error: NOT_FIELDS } },
        `request, depth ${depth}`);
      const health = router.setHealth(`{"now": 1, "health": [{"name": "health:a:b", "metadata": ${nested}}]}`);
      assert.equal(health.status, BAD_REQUEST, `health, depth ${depth}: ${JSON.stringify(health.answer)}`);
      assert.equal(router.setOpenCircuits(nested).status, BAD_REQUEST, `open circuits, depth ${depth}`);
    }
  }
  // A listing of 100,000 keys, each a value of another kind, is read flat: all ignored.
  const many = `\0n1\0-\0a100000${"\0x\0x".repeat(100000)}\0-`;
  assert.deepStrictEqual(router.setHealth(many),
    { status: OK, answer: { records: 0, ignored: 100000, registrations: 0 } });
  assert.equal(router.route(users).answer.service, "user-service");
  const rules = [{ path: "/:a/:b/*", service: "a" }, { path: "/x/*/y/:z", service: "a" }];
  const long = "/" + Array.from({ length: 40 }, (_, k) => (k % 3 ? `:p${k}` : `s${k}`)).join("/");
  for (let index = 0; index < 30; index++) rules.unshift({ path: long, service: "a" });
  const services = { a: { endpoints: ["https://a.example"] } };
  router.load(JSON.stringify({ version: 1, services, routing: { rules } }));
  for (const segments of [10, 1000, 400000]) {
    const url = "https://x.example/" + "x/".repeat(segments) + "y/q";
    assert.equal(router.route({ url }).answer.rule.index, 30, `${segments} segments`);
  }
});

test("bad requests are answered with a status and a message, never a trap", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  const url = "https://x.example/";
  const cases = [
    // mesh_route reads the field form only: JSON, even a request the CLI routes, is refused.
    [JSON.stringify(users), BAD_REQUEST, new RegExp(`^${NOT_FIELDS}$`)],
    ["{", BAD_REQUEST, new RegExp(`^${NOT_FIELDS}$`)],
    [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), BAD_REQUEST, new RegExp(`^${NOT_FIELDS}$`)],
    [fieldsOf(url + "a".repeat(2 * 1024 * 1024)), TOO_LARGE,
      /^the request is \d+ bytes long; at most 2097152 are accepted$/],
    [fieldsOf(url + "a".repeat(1024 * 1024)), BAD_REQUEST, /^the URL is \d+ bytes long; at most 1048576 are accepted$/],
  ];
  for (const [request, expected, message] of cases) {
    const { status, answer } = router.route(request);
    assert.equal(status, expected, JSON.stringify(answer));
    assert.match(answer.error, message);
  }
  assert.equal(router.callRaw("mesh_route", 0, 5).status, INVALID_ARGUMENTS);
  assert.deepStrictEqual(router.callRaw("mesh_route", 0, 0), { status: BAD_REQUEST, answer: { error: NOT_FIELDS } });
  // The module still routes after all of them.
  assert.equal(router.route(users).answer.rule.name, "users");
});

test("the field form: an object and its fields by hand give the same answer; faults are refused", { skip },
  async () => {
    const router = await WasmRouter.open(modulePath);
    router.load(shop);
    // Each object, the fields written for it by hand, and the status both get.
    const same = [
      [users, N + N + users.url + N + N + N + "EU" + N + N, OK],
      [{ method: "post", url: "https://shop.example.com/api/orders/12", headers: { cookie: "ab=b", "X-Preview": "1" },
        cf: { colo: "fra", country: "de", continent: "EU", latitude: 50.11, longitude: "8.68" } },
      N + "post" + N + "https://shop.example.com/api/orders/12" + N + "fra" + N + "de" + N + "EU" + N + "50.11" + N +
        "8.68" + N + "cookie" + N + "ab=b" + N + "X-Preview" + N + "1", OK],
      [{ url: "https://shop.example.com/caf\u00e9", headers: { "x-a": "\u00e9t\u00e9", "x-b": "\ud83d\ude00" } },
        N + N + "https://shop.example.com/caf\u00e9" + N + N + N + N + N + N + "x-a" + N + "\u00e9t\u00e9" + N + "x-b" +
        N + "\ud83d\ude00", OK],
      [{ url: "" }, fieldsOf(""), BAD_REQUEST],
      [{ url: "https://x.example/", cf: { latitude: "1e999" } },
        N + N + "https://x.example/" + N + N + N + N + "1e999" + N, BAD_REQUEST],
    ];
    for (const [object, fields, status] of same) {
      assert.equal(requestFields(object), fields, JSON.stringify(object));
      router.reset();
      const fromObject = router.route(object);
      assert.equal(fromObject.status, status, JSON.stringify(fromObject.answer));
      router.reset();
      assert.deepStrictEqual(router.route(fields), fromObject, JSON.stringify(object));
    }
    const faults = [
      [N + "GET" + N + "https://x.example/", /^the request has 2 fields; it needs seven/],
      [N + N + "https://x.example/" + N + N + N + N + N + N + "cookie", /^the request's last header, 'cookie', has no value$/],
      [new Uint8Array([0, 0x47, 0, 0x68, 0xff, 0, 0, 0, 0, 0, 0]), /^field 2 of the request is not valid UTF-8$/],
      [N + N + "https://x.example/" + N + N + N + N + "north" + N, /^request\.cf\.latitude must be a number, found the string 'north'$/],
      [N + N + "https://x.example/" + N + N + N + N + N + "nan", /^request\.cf\.longitude must be a number/],
      [N + "G T" + N + "https://x.example/" + N + N + N + N + N, /^invalid HTTP method 'G T'$/],
    ];
    for (const [request, message] of faults) {
      const { status, answer } = router.route(request);
      assert.equal(status, BAD_REQUEST, JSON.stringify(answer));
      assert.match(answer.error, message);
    }
    // What the form cannot carry is not sent: WasmRouter.route says why it has no field form.
    const unsent = [
      [null, /it is null, not an object$/], [{ url: 5 }, /its url is not a string$/],
      [{ url: "https://x.example/", method: "" }, /its method is not a non-empty string$/],
      [{ url: "https://x.example/", cf: { colo: "" } }, /its cf\.colo is an empty string or neither/],
      [{ url: "https://x.example/", cf: { city: "Berlin" } }, /its cf has a member other than/],
      [{ url: "https://x.example/", headers: { a: 1 } }, /the value of its header 'a' is not a string$/],
      [{ url: "https://x.example/\0" }, /a value holds a NUL byte/],
      [{ url: "https://x.example/", headers: { a: "\ud800" } }, /a value holds a lone surrogate/],
      [{ url: "https://x.example/", extra: 1 }, /it has a member other than method, url, headers and cf/],
    ];
    for (const [request, message] of unsent) {
      assert.throws(() => router.route(request), (error) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.ok(error.message.startsWith("mesh_route reads requests in the field form only, and this one has none: "),
          error.message);
        assert.match(error.message, message);
        return true;
      }, JSON.stringify(request));
    }
    assert.equal(router.route(users).answer.rule.name, "users");
  });

test("mesh_ref answers the rule and policy a ref names, shared by its answers until the next load", { skip },
  async () => {
    const router = await WasmRouter.open(modulePath);
    const named = (ref) => ({ status: router.wasm.mesh_ref(ref), answer: JSON.parse(router.outputText()) });
    assert.deepStrictEqual(named(1), { status: NO_CONFIG, answer: { error: "no config is loaded: call mesh_load first" } });
    const config = (timeout) => JSON.stringify({
      version: 1,
      services: { a: { endpoints: ["https://a.example"], timeout }, b: { endpoints: ["https://b.example"] } },
      routing: { rules: [{ name: "a", path: "/a/*", service: "a", stripPrefix: "/a" }], default: "b" },
    });
    router.load(config(700));
    for (const ref of [0, 1, -1]) {
      assert.deepStrictEqual(named(ref), {
        status: INVALID_ARGUMENTS,
        answer: { error: `no answer of the loaded config names ref ${ref}; refs come from mesh_route` },
      });
    }
    const first = router.route({ url: "https://x.example/a/b" }).answer;
    const second = router.route({ method: "POST", url: "https://x.example/a/c" }).answer;
    assert.equal(first.policy.timeout, 700);
    assert.equal(second.policy, first.policy, "one object per rule and service");
    assert.equal(second.rule, first.rule);
    assert.ok(Object.isFrozen(first.policy) && Object.isFrozen(first.policy.retries), "shared, so read-only");
    assert.deepStrictEqual([first.forwardPath, second.forwardPath], ["/b", "/c"]);
    assert.deepStrictEqual([first.edge, second.edge],
      [{ retryableMethod: true, serviceFallback: false }, { retryableMethod: false, serviceFallback: false }]);
    // The raw answer names the rule and service by ref, the first pair named being 0, which
    // mesh_ref answers; routing.default is a pair of its own.
    assert.equal(router.route(fieldsOf("https://x.example/a/d")).answer.forwardPath, "/d");
    const raw = JSON.parse(router.outputText());
    assert.deepStrictEqual(raw, {
      outcome: "routed", ref: 0, service: "a", endpoint: "https://a.example", forwardPath: "/d", retryableMethod: true,
    });
    assert.deepStrictEqual(named(0), {
      status: OK, answer: { rule: { ...first.rule }, policy: { ...first.policy, retries: { ...first.policy.retries,
        backoff: { ...first.policy.retries.backoff }, retryOn: [...first.policy.retries.retryOn] } },
      serviceFallback: false },
    });
    assert.equal(router.route({ url: "https://x.example/z" }).answer.rule, null);
    // Once its ref is kept, the output is mesh_route's own answer (before, mesh_ref's).
    router.route({ url: "https://x.example/y" });
    assert.equal(JSON.parse(router.outputText()).ref, 1);
    // The same ref names the new config's pair after a load.
    router.load(config(900));
    assert.equal(router.route({ url: "https://x.example/a/b" }).answer.policy.timeout, 900);
  });

test("requests reuse one input buffer; a large input's is freed after its call", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  const calls = { malloc: 0, free: 0 };
  const { malloc, free } = router.wasm;
  router.wasm = {
    ...router.wasm, malloc: (size) => (calls.malloc++, malloc(size)), free: (pointer) => (calls.free++, free(pointer)),
  };
  router.load(shop);
  const before = { ...calls };
  for (let index = 0; index < 1000; index++) router.route({ ...users, url: `${users.url}/${index}` });
  assert.ok(calls.malloc - before.malloc <= 1, `${calls.malloc - before.malloc} mallocs for 1,000 requests`);
  // A plan of over 64 KiB is not kept: the requests' buffer makes room for it, and its own
  // goes back after the load. The shop's services with 3,000 more rules make one.
  const large = readFileSync(join(root, "examples/shop/diddy-mesh.jsonc"), "utf8").replace("\"rules\": [",
    "\"rules\": [" + Array.from({ length: 3000 }, (_, index) =>
      `{"path": "/zz/${index}/*", "service": "user-service"}, `).join(""));
  const plan = planOf(large);
  assert.ok(plan.length > 64 * 1024, `a plan of ${plan.length} bytes`);
  const freed = calls.free;
  assert.equal(router.load(plan).status, OK);
  assert.equal(calls.free, freed + 2);
  assert.equal(router.route(users).answer.rule.name, "users");
});

test("numbers past 32 bits in configs and requests are answered, never a trap", { skip }, async () => {
  // Int is 32 bits in the module (wasm32): each of these once trapped converting a Double.
  const router = await WasmRouter.open(modulePath);
  const config = {
    version: 1,
    services: {
      a: {
        endpoints: [{ url: "https://a1.example", weight: 1e9 }, { url: "https://a2.example", weight: 3e9 }],
        loadBalancer: "weighted", timeout: 3e9, circuitBreaker: { resetTimeout: 5e9, failureThreshold: 2 ** 40 },
      },
    },
    routing: { rules: [{ path: "/*", service: "a", timeout: 4000000000.0 }] },
  };
  const { status, answer } = router.load(JSON.stringify(config));
  assert.equal(status, OK);
  const messages = answer.findings.map(({ message }) => message);
  for (const expected of ["timeout 3000000000 is out of range: it must be at most 30000",
    "resetTimeout 5000000000 is out of range: it must be at most 2147483647",
    "failureThreshold 1099511627776 is out of range: it must be at most 2147483647"]) {
    assert.ok(messages.includes(expected), `${expected} in ${JSON.stringify(messages)}`);
  }
  // The smooth weighted cycle of weights 1e9 and 3e9 picks a1 once in four, as of 1 and 3.
  const picked = Array.from({ length: 8 }, () => {
    const request = { url: "https://x.example/a", cf: { latitude: 3e9, longitude: -(2 ** 40) } };
    const { status, answer } = router.route(request);
    assert.equal(status, OK, JSON.stringify(answer));
    return answer.endpoint;
  });
  assert.equal(picked.filter((url) => url === "https://a1.example").length, 2, picked.join(", "));
  assert.equal(router.route({ url: "https://x.example/b", cf: { latitude: "3e9" } }).status, OK);
});

test("mesh_reset gives the state of a fresh load", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  const catalog = { url: "https://api.shop.example/api/catalog/shoes" };
  // Seven decisions: the catalog's split and round-robin repeat every five, so state carried
  // on from the first seven would not give them again.
  const seven = () => Array.from({ length: 7 }, () => router.route(catalog).answer);
  const first = seven();
  assert.ok(new Set(first.map((answer) => JSON.stringify(answer))).size > 1, "the weighted cycle and the random draw move on");
  assert.deepStrictEqual(router.reset(), { status: OK, answer: null });
  assert.deepStrictEqual(seven(), first);
  router.load(shop);
  assert.deepStrictEqual(seven(), first);
});

test("memory does not grow with the number of decisions", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  const requests = [
    users, { url: "https://api.shop.example/api/catalog/shoes", headers: { cookie: "session=a" } },
    { method: "POST", url: "https://api.shop.example/api/payments/charge" }, { url: "https://shop.example/x" },
  ].map((request) => new TextEncoder().encode(requestFields(request)));
  for (let round = 0; round < 2000; round++) router.route(requests[round % requests.length]);
  const before = router.wasm.memory.buffer.byteLength;
  for (let round = 0; round < 20000; round++) router.route(requests[round % requests.length]);
  assert.equal(router.wasm.memory.buffer.byteLength, before);
});

// Inputs of over 110 kB dense in tokens: the lexer's growth estimate once multiplied two
// counts in a 32-bit Int on wasm32 and trapped the module; it now multiplies in 64 bits.
test("a config of 4,000 rules loads and routes", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  const rules = Array.from({ length: 4000 }, (_, index) => ({ path: `/p${index}/*`, service: "a" }));
  const config = { version: 1, services: { a: { endpoints: ["https://a.example"] } }, routing: { rules } };
  assert.equal(router.load(JSON.stringify(config, null, 1)).status, OK);
  assert.equal(router.route({ url: "https://x.example/p3999/z" }).answer.rule.index, 3999);
});

test("mesh_route's refs, per rule and service, and past the 4,096 named: the CLI's decision", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  const rules = Array.from({ length: 5000 }, (_, index) => ({
    path: `/p${index}/*`, service: index % 2 ? "a" : "b", stripPrefix: index % 3 ? `/p${index}` : undefined,
    timeout: 1000 + index,
  }));
  const config = {
    version: 1, services: { a: { endpoints: ["https://a.example"] }, b: { endpoints: ["https://b.example/base"] } },
    routing: { rules },
  };
  assert.equal(router.load(JSON.stringify(config)).answer.errors, 0);
  // Twice over: the first pass names each pair by a new ref; by the second, the pairs of all
  // 5,000 rules have been met, the first 4,096 named and the others (rule 4500 among them)
  // written out in each answer. Each must hold the rule, policy and forwarded path of the
  // CLI's decision for the same request (each service has one endpoint, so no state matters).
  const checked = [];
  for (let pass = 0; pass < 2; pass++) {
    for (const index of pass === 0 ? [0, 1, 2, 3, 4095, 4096, 4097, 4999] : [0, 3, 4096, 4999, 4500]) {
      const request = { url: `https://x.example/p${index}/q/${pass}` };
      const { answer } = router.route(request);
      if (pass === 1) {
        // Its refs are kept by now, so the output is still mesh_route's own answer.
        assert.equal(typeof JSON.parse(router.outputText()).ref, index === 4500 ? "undefined" : "number", `${index}`);
      }
      assert.equal(answer.policy.timeout, 1000 + index);
      checked.push({ index, pass, request, answer });
    }
    for (let index = 0; index < 5000; index++) router.route({ url: `https://x.example/p${index}/` });
  }
  const directory = mkdtempSync(join(tmpdir(), "diddy-mesh-abi-"));
  try {
    writeFileSync(join(directory, "diddy-mesh.jsonc"), JSON.stringify(config));
    writeFileSync(join(directory, "requests.jsonl"), checked.map(({ request }) => JSON.stringify(request)).join("\n"));
    const native = spawnSync(cliPath(), ["route", join(directory, "diddy-mesh.jsonc"), "--requests",
      join(directory, "requests.jsonl"), "--format", "json"], { encoding: "utf8", maxBuffer: 1 << 26 });
    assert.equal(native.status, 0, native.stderr);
    native.stdout.trim().split("\n").forEach((line, position) => {
      const { index, pass, answer } = checked[position];
      const decided = JSON.parse(line);
      const { range, ...rule } = decided.rule;
      const { forwardPath, ...policy } = decided.policy;
      assert.deepStrictEqual(answer, {
        outcome: "routed", rule, service: decided.service, endpoint: decided.endpoint, policy, forwardPath,
        edge: { retryableMethod: true, serviceFallback: false },
      }, `rule ${index}, pass ${pass}`);
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("a request of 10,000 headers is answered", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  router.load(shop);
  const headers = Object.fromEntries(Array.from({ length: 10000 }, (_, index) => [`h${index}`, "v"]));
  assert.equal(router.route({ url: "https://shop.example/", headers }).status, OK);
});
