"""`diddy-mesh route` end to end: the documented JSON shape, exit codes, and the route
expectations file of the shop example against schemas/route-tests.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from diddy_check import EXAMPLES, ROOT, run

SHOP = str(EXAMPLES / "shop" / "diddy-mesh.jsonc")
ROUTE_TESTS = EXAMPLES / "shop" / "route-tests.json"
ROUTE_TESTS_SCHEMA = ROOT / "schemas" / "route-tests.schema.json"


def test_route_json_has_the_documented_shape():
    result = run("route", SHOP, "--url", "https://api.shop.example/api/users/42", "--continent", "EU", "--format", "json")
    assert result.returncode == 0, result.stderr
    trace = json.loads(result.stdout)
    assert trace["request"]["method"] == "GET"
    assert trace["request"]["path"] == "/api/users/42"
    assert trace["request"]["cf"] == {"continent": "EU"}
    assert trace["outcome"] == "routed"
    assert trace["rule"]["index"] == 0 and trace["rule"]["name"] == "users" and trace["rule"]["path"] == "/api/users/*"
    assert set(trace["rule"]["range"]) == {"start", "end"} and trace["rule"]["range"]["start"]["line"] >= 1
    assert trace["skipped"] == []
    assert trace["split"] is None
    assert trace["service"] == "user-service"
    for endpoint in trace["endpoints"]:
        assert {"url", "status", "latencyMs", "ageSeconds", "circuit", "kept", "reason"} <= set(endpoint)
    assert trace["endpoint"] in [endpoint["url"] for endpoint in trace["endpoints"]]
    assert set(trace["strategy"]) == {"name", "reason"}
    assert trace["policy"]["timeout"] == 3000
    assert trace["policy"]["forwardPath"] == "/api/users/42"
    assert {"attempts", "backoff"} <= set(trace["policy"]["retries"])


def test_route_skipped_rules_say_why():
    result = run("route", SHOP, "--url", "https://api.shop.example/api/search", "--method", "POST", "--format", "json")
    trace = json.loads(result.stdout)
    assert trace["outcome"] == "default"
    reasons = {entry["index"]: entry["reason"] for entry in trace["skipped"]}
    assert "method POST" in reasons[4]
    assert len(reasons) == 7


def test_route_exit_codes():
    assert run("route", SHOP, "--url", "https://x.example/anything").returncode == 0
    assert run("route", SHOP, "--url", "no-scheme/path").returncode == 2
    assert run("route", SHOP).returncode == 2
    assert run("route", "/nonexistent.jsonc", "--url", "https://x.example/").returncode == 2
    assert run("route", SHOP, "--url", "https://x.example/", "--format", "yaml").returncode == 2


@pytest.mark.parametrize(
    ("routing", "url", "says"),
    [
        ('{"rules": [{"path": "/a/*", "service": "a"}]}', "https://x.example/b",
         "-> no route: no rule matched and there is no routing.default (404)"),
        ('{"rules": [{"path": "/b", "service": "ghost"}]}', "https://x.example/b", "   note: service 'ghost' is not defined"),
        ('{"default": "ghost"}', "https://x.example/b", "   note: service 'ghost' is not defined"),
    ],
)
def test_route_exits_1_when_no_defined_service_is_reached(tmp_path: Path, routing: str, url: str, says: str):
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text('{"services": {"a": {"endpoints": ["https://a.example"]}}, "routing": ' + routing + "}\n")
    text = run("route", str(config), "--url", url)
    assert text.returncode == 1, text.stderr
    assert says in text.stdout.splitlines()
    as_json = run("route", str(config), "--url", url, "--format", "json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["request"]["path"] == "/b"


def test_shop_route_tests_validate_and_pass_with_full_coverage():
    schema = json.loads(ROUTE_TESTS_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(ROUTE_TESTS.read_text()))
    result = run("route", SHOP, "--tests", str(ROUTE_TESTS), "--fail-under", "100")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7/7 rules exercised (100%)" in result.stdout
    report = json.loads(run("route", SHOP, "--tests", str(ROUTE_TESTS), "--format", "json").stdout)
    assert report["summary"] == {"passed": 10, "failed": 0}
    assert report["coverage"]["percent"] == 100
