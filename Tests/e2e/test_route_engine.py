"""`diddy-mesh route --engine wasm` end to end (issue 16, item 5): the edge router's
`.wasm`, run by the CLI on WasmKit, decides each request with `mesh_route`, and the CLI shows
the native router's trace of the same request only when the two decide alike (docs/edge.md,
"What the module answers"), with the module's `edge` member added to the JSON. So its output
must be the native router's, plus `edge` and the engine line; a disagreement is exit 2.
Checked on the shop's requests one at a time and on a few hundred generated requests through
`--requests`, whose router state carries from line to line in both engines.

The comparisons need `.build/wasm/diddy-mesh-router.wasm`, which `make wasm` builds. CI runs
`make test` before `make wasm`, so these skip there and `make wasm` runs this file again once
the module is built (`make test-engine`): building the module here would compile the core a
second time as Embedded Swift, minutes that `make wasm` spends anyway. The refusals (no module,
not a module, --tests, an unreadable registry) need no module and always run. With --live the
module is given the registry's records through mesh_set_health and must read them as
`route --live` does."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from diddy_check import EXAMPLES, ROOT, run

SHOP = str(EXAMPLES / "shop" / "diddy-mesh.jsonc")
MODULE = ROOT / ".build" / "wasm" / "diddy-mesh-router.wasm"
needs_module = pytest.mark.skipif(
    not MODULE.is_file(),
    reason="no .build/wasm/diddy-mesh-router.wasm: `make wasm` builds it, then runs these tests (make test-engine)",
)


def without_edge(answer: dict) -> dict:
    """The wasm engine's decision less `edge`, the module's own member (what a Worker needs
    besides the decision: whether the method may be retried, whether the service has a
    fallback), after checking that it is there."""
    assert set(answer["edge"]) == {"retryableMethod", "serviceFallback"}, answer
    return {key: value for key, value in answer.items() if key != "edge"}


ENGINE_LINE = "   engine: wasm, {} (this binary's router decides alike and explains)"


SINGLE = [
    ["--url", "https://api.shop.example/api/users/42", "--continent", "EU"],
    ["--method", "POST", "--url", "https://api.shop.example/api/users/42"],
    ["--method", "POST", "--url", "https://api.shop.example/api/payments/charge?x=1"],
    ["--url", "https://api.shop.example/api/catalog/shoes", "--header", "Cookie: session=abc123"],
    ["--url", "https://api.shop.example/api/catalog/shoes"],
    ["--url", "https://shop.example/preview/a/../new", "--header", "X-Preview: 1", "--colo", "FRA",
     "--country", "DE", "--continent", "EU"],
    ["--url", "https://shop.example", "--country", "US", "--continent", "NA", "--colo", "IAD"],
    ["--url", "https://shop.example", "--continent", "NA", "--lat", "38.9", "--lon=-77.4"],
    ["--url", "https://api.shop.example/api/inventory/SKU-1"],
    ["--url", "https://api.shop.example/api/orders/17", "--header", "x-a: 1", "--header", "X-A: 2"],
]


@needs_module
@pytest.mark.parametrize("arguments", SINGLE, ids=[" ".join(arguments) for arguments in SINGLE])
def test_one_request_gets_the_native_decision(arguments: list[str]):
    native = run("route", SHOP, *arguments, "--format", "json")
    wasm = run("route", SHOP, *arguments, "--format", "json", "--engine", "wasm")
    assert wasm.returncode == native.returncode == 0, wasm.stderr
    assert wasm.stderr == native.stderr
    assert without_edge(json.loads(wasm.stdout)) == json.loads(native.stdout)


@needs_module
def test_text_is_the_native_trace_with_the_engine_line():
    arguments = ["--url", "https://api.shop.example/api/inventory/SKU-1"]
    native = run("route", SHOP, *arguments).stdout.splitlines()
    wasm = run("route", SHOP, *arguments, "--engine", "wasm")
    assert wasm.returncode == 0, wasm.stderr
    lines = wasm.stdout.splitlines()
    assert lines[:-1] == native
    assert any(line.startswith("-> rule #5 'stock' /api/inventory/:sku (") for line in lines)
    assert lines[-1] == ENGINE_LINE.format(".build/wasm/diddy-mesh-router.wasm")


@needs_module
def test_the_default_module_is_found_at_the_repository_root_from_a_subfolder():
    result = run("route", "diddy-mesh.jsonc", "--url", "https://shop.example/", "--engine", "wasm",
                 cwd=EXAMPLES / "shop")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == ENGINE_LINE.format("../../.build/wasm/diddy-mesh-router.wasm")


# The request generator of edge/tests/requests.mjs, in Python: methods, schemes, hosts, paths
# (dot segments, percent-encoding, backslashes, doubled slashes, non-ASCII, tabs), queries,
# headers in any case (some named twice) and request.cf fields, mostly where the shop's rules
# start. Every request is valid.
METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "Post",
           "PROPFIND"]
SCHEMES = ["https", "https", "https", "http", "HTTPS"]
HOSTS = ["api.shop.example", "shop.example", "API.Shop.Example", "shop.example:443", "api.shop.example:8443",
         "user:secret@api.shop.example", "localhost", "127.0.0.1:8787", "[::1]", "xn--bcher-kva.example"]
PREFIXES = ["/", "/api", "/api/users", "/api/users", "/api/orders", "/api/payments", "/api/payments", "/api/catalog",
            "/api/catalog", "/api/catalog", "/api/search", "/api/search", "/api/inventory", "/preview", "/preview",
            "/API/users", "/api/user"]
SEGMENTS = ["api", "users", "orders", "payments", "catalog", "search", "inventory", "preview", "42", "SKU-1", "shoes",
            "new-home", "ü", "%C3%BC", "日本", ".", "..", "%2e", "%2E%2e", "a b", "x;y", "API", "", "a%2Fb"]
QUERIES = ["", "", "", "?q=boots", "?expand=items", "?a=1&b=2", "#fragment", "?x=1#y", "?"]
COOKIES = ["session=abc123", "session=def456; theme=dark", "theme=light", "session=", "session=\u00e9t\u00e9"]
COLOS = ["FRA", "LHR", "IAD", "SJC", "SIN", "NRT", "GRU", "SYD", "fra", "iad"]
COUNTRIES = ["DE", "FR", "NL", "US", "CA", "GB", "SG", "JP", "BR", "AU", "de", "us", "T1", "XX"]
CONTINENTS = ["EU", "NA", "AS", "SA", "OC", "AF", "AN", "eu", "na"]


def generated_requests(count: int, seed: int) -> list[dict]:
    draw = random.Random(seed)
    requests = []
    for _ in range(count):
        request: dict = {}
        if draw.random() < 0.8:
            request["method"] = draw.choice(METHODS)
        path = draw.choice(PREFIXES) if draw.random() < 0.85 else ""
        for _ in range(draw.randrange(3) + (0 if draw.random() < 0.2 else 1)):
            separator = "\\" if draw.random() < 0.06 else "//" if draw.random() < 0.04 else "/"
            path += separator + draw.choice(SEGMENTS)
        if draw.random() < 0.1 and len(path) > 1:
            cut = path.find("/", 1) if path.find("/", 1) > 0 else len(path)
            path = path[:cut] + draw.choice(["/.", "/x/..", "/%2e", "/X/%2E%2E"]) + path[cut:]
        if draw.random() < 0.15:
            path += "/"
        if draw.random() < 0.03:
            path = path[: len(path) // 2] + "\t" + path[len(path) // 2:]
        request["url"] = f"{draw.choice(SCHEMES)}://{draw.choice(HOSTS)}{path}{draw.choice(QUERIES)}"
        headers = {}
        if draw.random() < 0.3:
            headers["cookie" if draw.random() < 0.5 else "Cookie"] = draw.choice(COOKIES)
        if draw.random() < 0.3:
            headers["x-preview" if draw.random() < 0.5 else "X-Preview"] = draw.choice(["1", "0", "", " 1 ", "true"])
        if draw.random() < 0.2:
            headers["authorization"] = "Bearer t"
        if draw.random() < 0.1:
            headers["user-agent"] = "engine/1.0 (\u00fcnic\u00f8de \"quoted\" \\ back)"
        if headers or draw.random() < 0.1:
            request["headers"] = headers
        cf: dict = {}
        if draw.random() < 0.5:
            cf["colo"] = draw.choice(COLOS)
        if draw.random() < 0.6:
            cf["country"] = draw.choice(COUNTRIES)
        if draw.random() < 0.6:
            cf["continent"] = draw.choice(CONTINENTS)
        if draw.random() < 0.5:
            latitude = round(draw.random() * 180 - 90, 4)
            longitude = round(draw.random() * 360 - 180, 4)
            # Workers give request.cf.latitude and longitude as strings.
            cf["latitude"] = str(latitude) if draw.random() < 0.5 else latitude
            cf["longitude"] = str(longitude) if draw.random() < 0.5 else longitude
        if draw.random() < 0.05:
            cf["colo"] = None
        if cf or draw.random() < 0.1:
            request["cf"] = cf
        requests.append(request)
    return requests


@needs_module
def test_a_file_of_generated_requests_gets_the_native_decisions_line_for_line(tmp_path: Path):
    requests = generated_requests(400, seed=16)
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(json.dumps(request, ensure_ascii=False) + "\n" for request in requests))
    native = run("route", SHOP, "--requests", str(path), "--format", "json")
    wasm = run("route", SHOP, "--requests", str(path), "--format", "json", "--engine", "wasm")
    assert native.returncode in (0, 1), native.stderr
    assert wasm.returncode == native.returncode, wasm.stderr
    native_lines = native.stdout.splitlines()
    wasm_lines = wasm.stdout.splitlines()
    assert len(native_lines) == len(wasm_lines) == len(requests)
    for number, (ours, theirs) in enumerate(zip(wasm_lines, native_lines), 1):
        assert without_edge(json.loads(ours)) == json.loads(theirs), f"line {number}: {requests[number - 1]}"
    # The set reaches every outcome, so the comparison covers more than one path through the router.
    outcomes = {json.loads(line)["outcome"] for line in wasm_lines}
    assert outcomes == {"routed", "default"}


@needs_module
def test_bad_lines_and_unreached_services_exit_as_with_the_native_router(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"url": "https://shop.example/"}\n{"url": 5}\nnot json\n{"url": "no-scheme/path"}\n')
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text('{"services": {"a": {"endpoints": ["https://a.example"]}}, '
                      '"routing": {"rules": [{"path": "/a/*", "service": "a"}, {"path": "/b/*", "service": "b"}]}}\n')
    unreached = tmp_path / "unreached.jsonl"
    unreached.write_text('{"url": "https://x.example/a/1"}\n\n{"url": "https://x.example/b/1"}\n'
                         '{"url": "https://x.example/c"}\n')
    for arguments in (
        ["route", SHOP, "--requests", str(bad), "--format", "json"],
        ["route", str(config), "--requests", str(unreached), "--format", "json"],
        ["route", str(config), "--url", "https://x.example/b/1"],
        ["route", SHOP, "--url", "not a url"],
        ["route", SHOP, "--url", "https://shop.example/", "--header", "no colon"],
    ):
        native = run(*arguments)
        wasm = run(*arguments, "--engine", "wasm")
        assert wasm.returncode == native.returncode, (arguments, wasm.stderr)
        assert wasm.stderr == native.stderr, arguments
        if "--requests" in arguments:
            assert [without_edge(json.loads(line)) for line in wasm.stdout.splitlines()] == [
                json.loads(line) for line in native.stdout.splitlines()]


def test_a_missing_or_broken_module_is_exit_2_and_says_to_run_make_wasm(tmp_path: Path):
    text = tmp_path / "router.wasm"
    text.write_text("export default {}\n")
    empty_module = tmp_path / "empty.wasm"
    empty_module.write_bytes(b"\0asm\x01\0\0\0")
    cases = [
        ([f"--wasm={tmp_path / 'missing.wasm'}"], f"no edge router module at '{tmp_path / 'missing.wasm'}'"),
        ([f"--wasm={text}"], "is not a valid WebAssembly module: it does not start with WebAssembly's magic bytes"),
        ([f"--wasm={empty_module}"], "is not the edge router module: it does not export 'mesh_load'"),
        ([f"--wasm={tmp_path}"], "it is a folder"),
    ]
    for extra, says in cases:
        result = run("route", SHOP, "--url", "https://shop.example/", "--engine", "wasm", *extra)
        assert result.returncode == 2, result.stderr
        assert says in result.stderr
        assert "run `make wasm`" in result.stderr
        assert result.stdout == ""


def test_without_a_repository_the_default_module_is_looked_for_here_only(tmp_path: Path):
    (tmp_path / "diddy-mesh.jsonc").write_text(Path(SHOP).read_text())
    result = run("route", "--url", "https://shop.example/", "--engine", "wasm", cwd=tmp_path)
    assert result.returncode == 2
    assert "no edge router module at '.build/wasm/diddy-mesh-router.wasm'" in result.stderr


def test_what_the_wasm_engine_cannot_do_is_a_usage_error(tmp_path: Path):
    cases = [
        (["--tests", str(EXAMPLES / "shop" / "route-tests.json"), "--engine", "wasm"], "run on the native router"),
        (["--url", "https://shop.example/", "--wasm", "x.wasm"], "add --engine wasm"),
        (["--url", "https://shop.example/", "--engine", "v8"], "v8"),
    ]
    for arguments, says in cases:
        result = run("route", SHOP, *arguments)
        assert result.returncode == 2, arguments
        assert says in result.stderr, (arguments, result.stderr)


def test_help_describes_the_engines():
    help_text = run("route", "--help").stdout
    assert "--engine <engine>" in help_text and "--wasm <path>" in help_text
    assert "make wasm" in help_text


WRANGLER_TOML = """\
name = "shop-router"
kv_namespaces = [
  { binding = "MESH_KV", id = "0f2ac74b498b48028cb68387c421e279", preview_id = "preview-mesh" }
]
"""


# A folder outside the repository has no default module: name the built one.
WASM_HERE = ["--engine", "wasm", f"--wasm={MODULE}"]


def without_ages(decision: dict) -> dict:
    """The decision with each endpoint's age left out, in its member and in its reason: the
    two engines read the clock some milliseconds apart."""
    copy = json.loads(json.dumps(decision))
    for endpoint in copy.get("endpoints", []):
        endpoint.pop("ageSeconds", None)
        endpoint["reason"] = re.sub(r"\([\d.]+ s old\)", "(<age> s old)", endpoint["reason"])
    return copy


@needs_module
def test_live_health_is_read_by_the_module_as_route_live_reads_it(tmp_path: Path):
    (tmp_path / "wrangler.toml").write_text(WRANGLER_TOML)
    (tmp_path / "diddy-mesh.jsonc").write_text(Path(SHOP).read_text())
    now = int(time.time() * 1000)
    records = [
        ("user-service", "https://users-eu.shop.workers.dev", {"s": "unhealthy", "t": now, "l": 40, "c": "closed"}),
        ("user-service", "https://users-us.shop.workers.dev", {"s": "healthy", "t": now, "l": 12, "c": "closed"}),
        ("order-service", "https://orders-1.shop.workers.dev", {"s": "healthy", "t": now, "l": 5, "c": "open"}),
        # Two minutes old: stale, so read as no record.
        ("catalog", "https://catalog-1.shop.workers.dev", {"s": "unhealthy", "t": now - 120_000, "l": 9, "c": "closed"}),
        # Not a summary: left out by both readers.
        ("storefront", "https://storefront-eu.shop.workers.dev", {"x": 1}),
        ("payment-service", "payments-primary", {"s": "degraded", "t": now, "l": 300, "c": "half-open"}),
    ]
    for service, endpoint, summary in records:
        key = f"health:{service}:{quote(endpoint, safe='')}"
        put = run("kv", "put", key, "{}", "--metadata", json.dumps(summary), cwd=tmp_path)
        assert put.returncode == 0, put.stderr
    urls = [
        ["--url", "https://api.shop.example/api/users/42"],
        ["--url", "https://api.shop.example/api/orders/17"],
        ["--url", "https://api.shop.example/api/catalog/shoes"],
        ["--url", "https://shop.example/", "--continent", "EU"],
        ["--method", "POST", "--url", "https://api.shop.example/api/payments/charge"],
    ]
    for arguments in urls:
        native = run("route", "--live", *arguments, "--format", "json", cwd=tmp_path)
        wasm = run("route", "--live", *arguments, "--format", "json", *WASM_HERE, cwd=tmp_path)
        assert wasm.returncode == native.returncode == 0, wasm.stderr
        ours, theirs = without_edge(json.loads(wasm.stdout)), json.loads(native.stdout)
        assert without_ages(ours) == without_ages(theirs), arguments
        for mine, other in zip(ours["endpoints"], theirs["endpoints"]):
            assert (mine["ageSeconds"] is None) == (other["ageSeconds"] is None)
            if mine["ageSeconds"] is not None:
                assert abs(mine["ageSeconds"] - other["ageSeconds"]) < 5
    statuses = [endpoint["status"] for endpoint in json.loads(
        run("route", "--live", *urls[0], "--format", "json", *WASM_HERE, cwd=tmp_path).stdout)["endpoints"]]
    assert statuses == ["unhealthy", "healthy"]
    text = run("route", "--live", *urls[0], *WASM_HERE, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[-2].startswith("   live health: wrangler-local namespace preview-mesh (")
    assert lines[-1] == ENGINE_LINE.format(MODULE)


def test_live_with_an_unreadable_registry_is_exit_2_in_both_engines(tmp_path: Path):
    (tmp_path / "diddy-mesh.jsonc").write_text(Path(SHOP).read_text())
    for engine in (["--engine", "native"], ["--engine", "wasm", f"--wasm={MODULE}"]):
        result = run("route", "--live", "--url", "https://shop.example/", "--registry", "cloudflare", *engine,
                     cwd=tmp_path)
        assert result.returncode == 2, (engine, result.stderr)
        assert "live health unavailable" in result.stderr
