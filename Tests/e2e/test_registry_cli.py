"""The registry commands end to end on a real wrangler-local store: `kv`, `config push|diff`
and `check --live` (DM601-DM604), in a temporary project with a wrangler.toml."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from diddy_check import EXAMPLES, binary, run

WRANGLER_TOML = """\
name = "shop-router"
kv_namespaces = [
  { binding = "MESH_KV", id = "0f2ac74b498b48028cb68387c421e279", preview_id = "preview-mesh" }
]
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "wrangler.toml").write_text(WRANGLER_TOML)
    config = (EXAMPLES / "shop" / "diddy-mesh.jsonc").read_text()
    (tmp_path / "diddy-mesh.jsonc").write_text(config.replace("../../schemas/diddy-mesh.schema.json", "diddy-mesh.schema.json"))
    return tmp_path


def kv(project: Path, *args: str):
    return run("kv", *args, cwd=project)


def test_kv_round_trip_in_the_wrangler_state_folder(project: Path):
    assert kv(project, "put", "service:search", '{"name": "search"}', "--metadata", '{"version": "1", "endpoints": 1}').returncode == 0
    assert kv(project, "put", "temp", "x", "--ttl", "120").returncode == 0
    got = kv(project, "get", "service:search")
    assert got.returncode == 0 and got.stdout == '{"name": "search"}'
    listed = json.loads(kv(project, "list", "--format", "json").stdout)
    assert [entry["name"] for entry in listed] == ["service:search", "temp"]
    assert listed[0]["metadata"] == {"version": "1", "endpoints": 1} and listed[0]["expiration"] is None
    assert abs(listed[1]["expiration"] - (time.time() + 120)) < 30
    assert kv(project, "list", "--prefix", "service:").stdout == "service:search\n"
    assert kv(project, "delete", "temp").returncode == 0
    absent = kv(project, "get", "temp")
    assert absent.returncode == 1 and "not set" in absent.stderr
    # The store is the one wrangler dev keeps: the preview_id names the namespace locally.
    assert (project / ".wrangler" / "state" / "v3" / "kv" / "preview-mesh" / "blobs").is_dir()
    assert any((project / ".wrangler" / "state" / "v3" / "kv" / "miniflare-KVNamespaceObject").glob("*.sqlite"))


def test_kv_bad_input_exits_2(project: Path):
    assert kv(project, "put", "k", "v", "--metadata", "{not json").returncode == 2
    assert kv(project, "put", "k", "v", "--ttl", "5").returncode == 2
    assert kv(project, "put", "x" * 600, "v").returncode == 2
    assert kv(project, "list", "--registry", "nowhere").returncode == 2
    (project / "wrangler.toml").write_text("kv_namespaces = [ { binding = \n")
    broken = kv(project, "list")
    assert broken.returncode == 2 and "wrangler.toml" in broken.stderr


def test_persist_to_moves_the_store(project: Path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("state")
    assert kv(project, "put", "a", "1", "--persist-to", str(elsewhere)).returncode == 0
    assert (elsewhere / "v3" / "kv" / "preview-mesh" / "blobs").is_dir()
    assert kv(project, "get", "a").returncode == 1
    assert kv(project, "get", "a", "--persist-to", str(elsewhere)).stdout == "1"


def test_config_push_and_diff(project: Path):
    config = "diddy-mesh.jsonc"
    nothing = run("config", "diff", config, cwd=project)
    assert nothing.returncode == 1 and "nothing is deployed" in nothing.stdout
    pushed = run("config", "push", config, cwd=project)
    assert pushed.returncode == 0, pushed.stderr
    assert run("config", "diff", config, cwd=project).returncode == 0
    meta = json.loads(kv(project, "list", "--format", "json").stdout)[0]["metadata"]
    assert len(meta["sha256"]) == 64 and meta["deployedAt"] > 1_700_000_000_000
    text = (project / config).read_text()
    (project / config).write_text(text.replace('"timeout": 1500', '"timeout": 1600'))
    diff = run("config", "diff", config, cwd=project)
    assert diff.returncode == 1
    assert '-      "timeout": 1500' in diff.stdout and '+      "timeout": 1600' in diff.stdout
    (project / config).write_text(text.replace('"service": "inventory"', '"service": "inventroy"'))
    refused = run("config", "push", config, cwd=project)
    assert refused.returncode == 1 and "not pushed" in refused.stderr


def run_bytes(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Runs diddy-mesh with `args`, its output kept as bytes (a route plan is binary)."""
    return subprocess.run([str(binary()), *args], cwd=cwd, capture_output=True, timeout=120, check=False)


def test_config_push_stores_the_route_plan(project: Path):
    """`config push` writes the route plan the edge Worker loads to mesh:plan, after mesh:config:
    the bytes `config plan` writes, with the sha256 of each (docs/edge.md, "The route plan")."""
    config = "diddy-mesh.jsonc"
    assert run("config", "push", config, cwd=project).returncode == 0
    listed = {entry["name"]: entry["metadata"] for entry in json.loads(kv(project, "list", "--format", "json").stdout)}
    assert list(listed) == ["mesh:config", "mesh:plan"]
    plan = run_bytes("kv", "get", "mesh:plan", cwd=project).stdout
    assert plan.startswith(b"\0DMPLAN\x03")
    text = (project / config).read_bytes()
    assert listed["mesh:plan"]["sha256"] == hashlib.sha256(plan).hexdigest()
    assert listed["mesh:plan"]["configSha256"] == hashlib.sha256(text).hexdigest() == listed["mesh:config"]["sha256"]
    assert listed["mesh:plan"]["format"] == 3
    assert listed["mesh:plan"]["deployedAt"] == listed["mesh:config"]["deployedAt"]
    # `config plan` writes the same bytes, to standard output or to a file.
    assert run_bytes("config", "plan", config, cwd=project).stdout == plan
    written = run("config", "plan", config, "--output", "out.plan", cwd=project)
    assert written.returncode == 0 and written.stdout == "" and written.stderr == ""
    assert (project / "out.plan").read_bytes() == plan


def test_config_diff_says_when_the_plan_is_not_the_configs(project: Path):
    """The edge Worker routes with mesh:plan: the same text in mesh:config with a plan of another
    config, or none, is not what the edge runs, and `config diff` says so (exit status 1)."""
    config = "diddy-mesh.jsonc"
    assert run("config", "push", config, cwd=project).returncode == 0
    assert run("config", "diff", config, cwd=project).returncode == 0
    other = "ab" * 32
    assert kv(project, "put", "mesh:plan", "x", "--metadata", json.dumps({"configSha256": other})).returncode == 0
    stale = run("config", "diff", config, cwd=project)
    assert stale.returncode == 1
    assert "is the deployed config" in stale.stdout
    assert f"but mesh:plan was compiled from the config with sha256 {other[:12]}, which the edge Worker routes with; " \
        f"push it again (diddy-mesh config push {config})" in stale.stdout
    assert kv(project, "delete", "mesh:plan").returncode == 0
    missing = run("config", "diff", config, cwd=project)
    assert missing.returncode == 1 and "mesh:plan is missing" in missing.stdout
    assert run("config", "push", config, cwd=project).returncode == 0
    assert run("config", "diff", config, cwd=project).returncode == 0


def test_config_plan_of_a_config_with_errors(project: Path):
    """A plan is written for a broken config too, with a warning: the Worker refuses it by its
    error count. A config that cannot be read is exit status 2."""
    (project / "broken.jsonc").write_text('{"version": 1, "services": {}, "routing": {"default": "nowhere"}}')
    planned = run_bytes("config", "plan", "broken.jsonc", cwd=project)
    assert planned.returncode == 0 and planned.stdout.startswith(b"\0DMPLAN")
    assert b"warning: broken.jsonc has 1 error" in planned.stderr
    missing = run("config", "plan", "absent.jsonc", cwd=project)
    assert missing.returncode == 2 and "absent.jsonc" in missing.stderr
    unwritable = run("config", "plan", "broken.jsonc", "--output", "no/such/folder/x.plan", cwd=project)
    assert unwritable.returncode == 2 and "cannot write no/such/folder/x.plan" in unwritable.stderr


def test_check_live_reports_registry_findings(project: Path):
    now_ms = int(time.time() * 1000)
    # search has no static endpoints and nothing registered yet: DM601.
    first = run("check", "--live", "--format", "json", ".", cwd=project)
    codes = [d["code"] for f in json.loads(first.stdout)["files"] for d in f["diagnostics"]]
    assert "DM601" in codes
    # Every endpoint of inventory unhealthy in fresh records: DM602.
    summary = json.dumps({"s": "unhealthy", "t": now_ms, "l": 12, "c": "open"})
    endpoint = "https%3A%2F%2Finventory.shop.workers.dev"
    assert kv(project, "put", f"health:inventory:{endpoint}", "{}", "--metadata", summary, "--ttl", "120").returncode == 0
    assert kv(project, "put", "service:search", json.dumps({"name": "search", "version": "1", "endpoints": ["https://search.shop.workers.dev"], "registeredAt": now_ms})).returncode == 0
    assert run("config", "push", "diddy-mesh.jsonc", cwd=project).returncode == 0
    second = json.loads(run("check", "--live", "--format", "json", ".", cwd=project).stdout)
    diagnostics = [d for f in second["files"] for d in f["diagnostics"]]
    codes = [d["code"] for d in diagnostics]
    assert "DM601" not in codes
    assert "DM602" in codes and "DM604" not in codes
    assert any("inventory" in d["message"] for d in diagnostics if d["code"] == "DM602")
    # The file changes after the push: DM604.
    path = project / "diddy-mesh.jsonc"
    path.write_text(path.read_text() + "\n")
    third = json.loads(run("check", "--live", "--format", "json", ".", cwd=project).stdout)
    assert "DM604" in [d["code"] for f in third["files"] for d in f["diagnostics"]]
    # Without --live the same project checks clean and touches no registry.
    assert run("check", ".", cwd=project).returncode == 0


def test_check_live_says_why_the_registry_is_unavailable(project: Path):
    off = json.loads(run("check", "--live", "--registry", "off", "--format", "json", ".", cwd=project).stdout)
    dm603 = [d for f in off["files"] for d in f["diagnostics"] if d["code"] == "DM603"]
    assert len(dm603) == 1 and "off" in dm603[0]["message"]
    env = dict(os.environ, CLOUDFLARE_API_TOKEN="secret-token-value", DIDDY_MESH_CLOUDFLARE_API_BASE="http://127.0.0.1:9")
    import subprocess

    from diddy_check import binary

    result = subprocess.run(
        [str(binary()), "check", "--live", "--registry", "cloudflare", "--account-id", "a" * 32, "--namespace-id", "b" * 32, "--format", "json", "."],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )
    assert "secret-token-value" not in result.stdout + result.stderr
    unreachable = [d for f in json.loads(result.stdout)["files"] for d in f["diagnostics"] if d["code"] == "DM603"]
    assert len(unreachable) == 1


def test_no_wrangler_config_is_a_clear_error(tmp_path: Path):
    shutil.copy(EXAMPLES / "shop" / "diddy-mesh.jsonc", tmp_path / "diddy-mesh.jsonc")
    result = run("kv", "list", cwd=tmp_path)
    assert result.returncode == 2
    assert "wrangler" in result.stderr
