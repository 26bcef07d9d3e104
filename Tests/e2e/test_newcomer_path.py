"""A newcomer's path (issue 6): the README's two commands from a clean clone, then
`diddy-mesh init` in an empty folder followed by `diddy-mesh check`, which must pass.

The clone test always checks that the README still names exactly the two commands and
that both resolve in a fresh clone (`make -n`); it runs `make run` there for real only
with DIDDY_NEWCOMER_FULL=1 (a from-scratch build takes minutes; .ci/run sets it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from diddy_check import ROOT, run

WRANGLER_TOML = """\
name = "edge-router"
main = "src/index.ts"
kv_namespaces = [
  { binding = "MESH_KV", id = "0f2ac74b498b48028cb68387c421e279", preview_id = "preview-mesh" }
]
"""


def diagnostics(check: subprocess.CompletedProcess[str]) -> list[dict]:
    return [d for f in json.loads(check.stdout)["files"] for d in f["diagnostics"]]


def test_init_then_check_in_an_empty_folder(tmp_path: Path):
    created = run("init", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diddy-mesh.jsonc", "diddy-mesh.schema.json"]
    assert "next: diddy-mesh check" in created.stdout
    check = run("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip().endswith("no problems in 1 file")
    # Not even a hint: the starter is an example of a clean config.
    strict = run("check", "--fail-on", "hint", "--format", "json", cwd=tmp_path)
    assert strict.returncode == 0 and diagnostics(strict) == [], strict.stdout
    # The schema file is the one `diddy-mesh schema` prints, and check does not take it for a config.
    assert (tmp_path / "diddy-mesh.schema.json").read_text() == run("schema").stdout
    routed = run("route", "diddy-mesh.jsonc", "--url", "https://example.com/api/orders/7", "--format", "json", cwd=tmp_path)
    assert routed.returncode == 0, routed.stderr
    trace = json.loads(routed.stdout)
    assert trace["service"] == "api" and trace["policy"]["forwardPath"] == "/orders/7"


def test_init_refuses_to_overwrite_without_force(tmp_path: Path):
    (tmp_path / "diddy-mesh.jsonc").write_text('{"services": {}}\n')
    refused = run("init", cwd=tmp_path)
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert (tmp_path / "diddy-mesh.jsonc").read_text() == '{"services": {}}\n'
    assert not (tmp_path / "diddy-mesh.schema.json").exists()
    forced = run("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and "overwrote diddy-mesh.jsonc" in forced.stdout
    assert run("check", cwd=tmp_path).returncode == 0


def test_init_wires_the_wrangler_binding_and_live_check_finds_the_registry(tmp_path: Path):
    (tmp_path / "wrangler.toml").write_text(WRANGLER_TOML)
    created = run("init", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert "registry: binding MESH_KV from wrangler.toml" in created.stdout
    assert '"registry": { "binding": "MESH_KV" }' in (tmp_path / "diddy-mesh.jsonc").read_text()
    # The wrangler-local store is empty (no `wrangler dev` has run): the live checks run
    # against it and find nothing to say, in particular no DM603 "not configured/unreachable".
    live = run("check", "--live", "--fail-on", "hint", "--format", "json", ".", cwd=tmp_path)
    assert live.returncode == 0, live.stdout + live.stderr
    assert [d["code"] for d in diagnostics(live)] == [], live.stdout
    # The registry commands resolve the same binding.
    assert run("kv", "list", cwd=tmp_path).returncode == 0


def test_init_with_an_ambiguous_or_broken_wrangler_config_writes_nothing(tmp_path: Path):
    (tmp_path / "wrangler.jsonc").write_text(
        '{"kv_namespaces": [{"binding": "CACHE", "id": "a"}, {"binding": "SESSIONS", "id": "b"}]}'
    )
    ambiguous = run("init", cwd=tmp_path)
    assert ambiguous.returncode == 2 and "--binding" in ambiguous.stderr and "CACHE, SESSIONS" in ambiguous.stderr
    assert not (tmp_path / "diddy-mesh.jsonc").exists()
    chosen = run("init", "--binding", "SESSIONS", cwd=tmp_path)
    assert chosen.returncode == 0 and "binding SESSIONS" in chosen.stdout
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "wrangler.toml").write_text("kv_namespaces = [\n  { binding = \n]\n")
    failed = run("init", cwd=broken)
    assert failed.returncode == 2 and "wrangler.toml:" in failed.stderr, failed.stderr
    assert list(broken.iterdir()) == [broken / "wrangler.toml"]


def the_two_commands() -> list[str]:
    """The commands of the README's "The two commands" section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's 'The two commands' section has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.split("#", 1)[0].strip()]


def test_readme_names_exactly_the_two_commands():
    assert the_two_commands() == ["make run", "make test"]


def test_the_two_commands_from_a_clean_clone(tmp_path: Path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: there is no clean clone to make")
    clone = tmp_path / "clone"
    cloned = subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], capture_output=True, text=True, timeout=300)
    assert cloned.returncode == 0, cloned.stderr
    # Both commands resolve in the clone: every target and file they name exists.
    for command in the_two_commands():
        dry = subprocess.run([*command.split(), "-n"], cwd=clone, capture_output=True, text=True, timeout=120)
        assert dry.returncode == 0, f"{command} -n: {dry.stderr}"
        assert "swift build" in dry.stdout
    if os.environ.get("DIDDY_NEWCOMER_FULL") != "1":
        pytest.skip("set DIDDY_NEWCOMER_FULL=1 to run `make run` in the clone (a from-scratch build)")
    try:
        made = subprocess.run(["make", "run"], cwd=clone, capture_output=True, text=True, timeout=1800)
        assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
        assert "no problems in 1 file" in made.stdout
        # The newcomer's own mesh, with the binary the clone built.
        built = clone / ".build" / "debug" / "diddy-mesh"
        mesh = tmp_path / "my-mesh"
        mesh.mkdir()
        env = dict(os.environ, NO_COLOR="1")
        for args in (["init"], ["check"]):
            step = subprocess.run([str(built), *args], cwd=mesh, env=env, capture_output=True, text=True, timeout=120)
            assert step.returncode == 0, f"diddy-mesh {' '.join(args)}: {step.stdout}{step.stderr}"
    finally:
        # The clone's build is a gigabyte or more; pytest keeps old temporary folders.
        shutil.rmtree(clone / ".build", ignore_errors=True)
