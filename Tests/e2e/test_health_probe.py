"""`diddy-mesh health probe` end to end: local HTTP targets on loopback, records written
to the wrangler-local store, read back with `diddy-mesh kv`, and the route preview that
does not yet read them (the router takes health as a plain snapshot)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from diddy_check import run, write_probed_project


def write_project(directory: Path, targets: dict) -> Path:
    return write_probed_project(directory, [targets[name] for name in ("healthy", "error", "slow", "refused")])


def test_probe_once_writes_health_records(tmp_path: Path, targets: dict):
    config = write_project(tmp_path, targets)
    started = time.monotonic()
    result = run("health", "probe", str(config), "--once", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    # The slow endpoint is cut at its 500 ms timeout; the round does not wait 5 s for it.
    assert elapsed < 4, f"a round with a hanging endpoint took {elapsed:.1f} s"
    lines = [line.split("\t") for line in result.stdout.strip().splitlines()]
    statuses = {fields[1]: fields[2] for fields in lines}
    assert statuses[targets["healthy"]] == "healthy"
    assert statuses[targets["error"]] == "unhealthy"
    assert statuses[targets["slow"]] == "unhealthy"
    assert statuses[targets["refused"]] == "unhealthy"
    listed = json.loads(run("kv", "list", "--prefix", "health:api:", "--format", "json", cwd=tmp_path).stdout)
    assert len(listed) == 4
    for entry in listed:
        assert set(entry["metadata"]) >= {"s", "t", "c"}
        assert entry["expiration"] is not None and entry["expiration"] - time.time() >= 50
    healthy_key = next(entry["name"] for entry in listed if entry["metadata"]["s"] == "healthy")
    record = json.loads(run("kv", "get", healthy_key, cwd=tmp_path).stdout)
    assert record["service"] == "api" and record["endpoint"] == targets["healthy"]
    assert record["status"] == "healthy" and record["consecutiveSuccesses"] == 1
    assert {"last", "p50", "p95", "ewma", "samples"} <= set(record["latencyMs"])
    # With every endpoint but one down, the live check stays quiet; the registry is reachable.
    live = json.loads(run("check", "--live", "--format", "json", str(config), cwd=tmp_path).stdout)
    assert not [d for f in live["files"] for d in f["diagnostics"] if d["code"] in ("DM602", "DM603")]


def test_probe_bad_input_exits_2(tmp_path: Path):
    assert run("health", "probe", str(tmp_path / "missing.jsonc"), "--once", cwd=tmp_path).returncode == 2


def test_first_look_sets_status_then_thresholds_decide(tmp_path: Path, targets: dict):
    """Issue 15, item 5: with the default thresholds (2 successes, 3 failures) the first
    `--once` already shows the answering endpoint healthy and the failing one unhealthy;
    later runs continue from the stored records, so a change needs its threshold."""
    urls = [targets["healthy"], targets["error"], targets["flapping"]]
    config = write_probed_project(tmp_path, urls)
    project = json.loads(config.read_text())
    project["services"]["api"]["healthCheck"] = {"path": "/health", "interval": 1000, "timeout": 500}
    config.write_text(json.dumps(project, indent=2) + "\n")
    rounds = []
    for _ in range(3):
        result = run("health", "probe", str(config), "--once", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        rounds.append({fields[1]: fields[2] for fields in (line.split("\t") for line in result.stdout.splitlines())})
    assert [statuses[targets["healthy"]] for statuses in rounds] == ["healthy", "healthy", "healthy"]
    assert [statuses[targets["error"]] for statuses in rounds] == ["unhealthy", "unhealthy", "unhealthy"]
    # The flapping endpoint answers 200, 500, 200: healthy at first sight, then one failure
    # and one success are each short of their threshold.
    assert [statuses[targets["flapping"]] for statuses in rounds] == ["healthy", "degraded", "degraded"]
