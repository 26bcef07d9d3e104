"""`route --live` and the editor's `diddyMesh/whatRoutesHere` read endpoint health the same
way and give the same trace: the real prober writes the wrangler-local store on disk, then
the real language server and the CLI route the same requests against it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
import pytest

from diddy_check import run
from lsp_harness import FAST_HEALTH_CHECK, lsp_ranges, open_document, plain, require_binary, started_client, write_live_project

METHOD = "diddyMesh/whatRoutesHere"


def write_project(directory: Path, targets: dict) -> tuple[Path, str]:
    """`api` has a healthy and a failing endpoint; every endpoint of `dead` fails, so its
    requests fall back to `api`; `ghost` is a rule to a service that does not exist."""
    health = FAST_HEALTH_CHECK
    return write_live_project(directory, {
        "api": {"endpoints": [{"url": targets["error"], "id": "bad", "insecure": True},
                              {"url": targets["healthy"], "id": "good", "insecure": True}],
                "loadBalancer": {"strategy": "round-robin"}, "healthCheck": health},
        "dead": {"endpoints": [{"url": targets["refused"], "id": "gone", "insecure": True}], "healthCheck": health,
                 "fallback": "api"},
    }, [{"name": "api", "path": "/api/*", "service": "api"},
        {"name": "dead", "path": "/dead/*", "service": "dead"},
        {"name": "ghost", "path": "/ghost", "service": "ghost"}])


def cli_trace(project: Path, url: str, *extra: str) -> tuple[int, dict]:
    """`route --format json` in `project` (no path: the config is found there), ranges made
    0-based like LSP positions (UTF-16 both)."""
    result = subprocess.run(
        [str(require_binary()), "route", "--url", url, "--format", "json", *extra],
        cwd=project, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode in (0, 1), result.stderr

    return result.returncode, lsp_ranges(json.loads(result.stdout))


def without_ages(trace: dict) -> tuple[dict, list]:
    """The trace with each endpoint's record age taken out (the two reads happen a moment
    apart), and the ages."""
    copy = json.loads(json.dumps(trace))
    ages = [endpoint.pop("ageSeconds") for endpoint in copy.get("endpoints", [])]
    return copy, ages


@pytest.mark.asyncio
async def test_route_live_and_what_routes_here_give_the_same_trace(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    probe = run("health", "probe", "--once", cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    requests = {
        "https://x.example/api/users": 0,   # the failing endpoint is left out
        "https://x.example/dead/a": 0,      # no usable endpoint: the fallback service answers
        "https://x.example/ghost": 1,       # a service the config does not define
        "https://x.example/nowhere": 1,     # no rule, no default
    }
    async with started_client({}) as client:
        open_document(client, config.as_uri(), text)
        for url, status in requests.items():
            code, expected = cli_trace(tmp_path, url, "--live")
            assert code == status, url
            editor = await client.protocol.send_request_async(
                METHOD, {"textDocument": {"uri": config.as_uri()}, "request": {"url": url}})
            editor = plain(editor)
            shown, editor_ages = without_ages(editor)
            printed, cli_ages = without_ages(expected)
            assert shown == printed, url
            assert all(abs(a - b) < 10 for a, b in zip(editor_ages, cli_ages) if a is not None and b is not None)

    code, api = cli_trace(tmp_path, "https://x.example/api/users", "--live")
    statuses = {endpoint["id"]: (endpoint["status"], endpoint["kept"]) for endpoint in api["endpoints"]}
    assert statuses == {"bad": ("unhealthy", False), "good": ("healthy", True)}
    assert api["endpoint"] == targets["healthy"]
    _, dead = cli_trace(tmp_path, "https://x.example/dead/a", "--live")
    assert dead["fallback"] == {"service": "api"} and dead["endpoint"] == targets["healthy"]
    # Without --live nothing is known, so both endpoints stay in the round-robin.
    _, static = cli_trace(tmp_path, "https://x.example/api/users")
    assert [endpoint["status"] for endpoint in static["endpoints"]] == ["unknown", "unknown"]
    assert static["endpoint"] == targets["error"]


def test_route_live_says_why_the_registry_cannot_be_read(tmp_path: Path, targets: dict):
    write_project(tmp_path, targets)
    off = run("route", "--live", "--registry", "off", "--url", "https://x.example/api/a", cwd=tmp_path)
    assert (off.returncode, off.stdout) == (2, "")
    # The config's own error (the `ghost` rule) is a warning first; then why live data is missing.
    assert off.stderr.splitlines()[-1] == "error: live health unavailable: registry not configured: registry is off"
    (tmp_path / "wrangler.toml").unlink()
    missing = run("route", "--live", "--url", "https://x.example/api/a", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.splitlines()[-1].startswith("error: live health unavailable: ")
