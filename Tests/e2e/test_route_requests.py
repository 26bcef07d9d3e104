"""`diddy-mesh route --requests FILE --format json` end to end: one decision per line of JSON
Lines, the same JSON as `route --url --format json`, router state carried from line to line,
and exit status 2 with each bad line named (issue 16: the batch the parity test of the edge
router compares with)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from diddy_check import EXAMPLES, ROOT, binary, run

SHOP = str(EXAMPLES / "shop" / "diddy-mesh.jsonc")
REQUEST_LIMIT = 2 * 1024 * 1024


def write_lines(path: Path, *lines: str) -> str:
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


def route_requests(path: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("route", SHOP, "--requests", path, "--format", "json", *extra)


def test_each_line_gets_the_decision_route_url_prints(tmp_path: Path):
    requests = [
        {"url": "https://api.shop.example/api/users/42", "cf": {"continent": "EU"}},
        {"method": "POST", "url": "https://api.shop.example/api/payments/charge?x=1"},
        {"url": "https://shop.example/preview/a/../new", "headers": {"X-Preview": "1"},
         "cf": {"colo": "FRA", "country": "DE", "continent": "EU"}},
        {"url": "https://shop.example", "cf": {"continent": "NA", "latitude": "38.9", "longitude": -77.4}},
    ]
    path = write_lines(tmp_path / "requests.jsonl", *(json.dumps(request) for request in requests), "")
    result = route_requests(path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(requests)
    single = [
        ["--url", "https://api.shop.example/api/users/42", "--continent", "EU"],
        ["--method", "POST", "--url", "https://api.shop.example/api/payments/charge?x=1"],
        ["--url", "https://shop.example/preview/a/../new", "--header", "X-Preview: 1", "--colo", "FRA",
         "--country", "DE", "--continent", "EU"],
        ["--url", "https://shop.example", "--continent", "NA", "--lat", "38.9", "--lon=-77.4"],
    ]
    for line, arguments in zip(lines, single):
        # None of these requests shares router state with another, so each is the one-request trace.
        assert json.loads(line) == json.loads(run("route", SHOP, *arguments, "--format", "json").stdout)


def test_router_state_carries_from_line_to_line(tmp_path: Path):
    # The catalog is weighted 3:1, and the session cookie keeps the split on it.
    request = json.dumps({"url": "https://api.shop.example/api/catalog/shoes", "headers": {"cookie": "session=abc123"}})
    result = route_requests(write_lines(tmp_path / "requests.jsonl", *[request] * 8))
    assert result.returncode == 0, result.stderr
    endpoints = [json.loads(line)["endpoint"] for line in result.stdout.splitlines()]
    assert endpoints.count("https://catalog-1.shop.workers.dev") == 6
    assert endpoints.count("https://catalog-2.shop.workers.dev") == 2


def test_standard_input_and_exit_1_when_a_request_reaches_no_service(tmp_path: Path):
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text('{"services": {"a": {"endpoints": ["https://a.example"]}}, '
                      '"routing": {"rules": [{"path": "/a/*", "service": "a"}]}}\n')
    result = subprocess.run(
        [str(binary()), "route", str(config), "--requests", "-", "--format", "json"],
        input='{"url": "https://x.example/a/1"}\n\n{"url": "https://x.example/b"}\n',
        cwd=ROOT, env=dict(os.environ, NO_COLOR="1"), capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 1, result.stderr
    outcomes = [json.loads(line)["outcome"] for line in result.stdout.splitlines()]
    assert outcomes == ["routed", "no-route"]


def test_bad_lines_exit_2_naming_each_line_and_print_no_decision(tmp_path: Path):
    path = write_lines(
        tmp_path / "requests.jsonl",
        '{"url": "https://api.shop.example/api/users/42"}',
        '{"url": 5}',
        "not json",
        '{"url": "https://x.example/", "header": {"a": "b"}}',
        '{"url": "no-scheme/path"}',
        '{"url": "https://x.example/' + "a" * REQUEST_LIMIT + '"}',
    )
    result = route_requests(path)
    assert result.returncode == 2
    assert result.stdout == ""
    errors = result.stderr.splitlines()
    assert errors[0] == f"error: {path}:2: request.url must be a string, found a number"
    assert errors[1].startswith(f"error: {path}:3: the request is not valid JSON")
    assert errors[2] == (f"error: {path}:4: unknown key 'header' in the request "
                         "(allowed: method, url, headers, cf)")
    assert errors[3].startswith(f"error: {path}:5: 'no-scheme/path' is not an absolute URL")
    assert errors[4].startswith(f"error: {path}:6: the request is ") and "at most 2097152" in errors[4]
    assert len(errors) == 5


def test_usage_errors_exit_2(tmp_path: Path):
    path = write_lines(tmp_path / "requests.jsonl", '{"url": "https://x.example/"}')
    empty = write_lines(tmp_path / "empty.jsonl", "", "  ")
    cases = [
        (["route", SHOP, "--requests", path], "add --format json"),
        (["route", SHOP, "--requests", path, "--format", "json", "--url", "https://x.example/"], "give one of"),
        (["route", SHOP, "--requests", path, "--format", "json", "--method", "POST"], "leave out --method"),
        (["route", SHOP, "--requests", path, "--format", "json", "--live"], "leave out --live"),
        (["route", "-", "--requests", "-", "--format", "json"], "cannot both be standard input"),
        (["route", SHOP, "--requests", str(tmp_path / "missing.jsonl"), "--format", "json"], "missing.jsonl"),
        (["route", SHOP, "--requests", empty, "--format", "json"], "holds no request"),
    ]
    for arguments, says in cases:
        result = run(*arguments)
        assert result.returncode == 2, arguments
        assert says in result.stderr, (arguments, result.stderr)
        assert result.stdout == ""


def test_help_describes_requests():
    help_text = run("route", "--help").stdout
    assert "--requests <file>" in help_text
    assert "one JSON object a line" in help_text
