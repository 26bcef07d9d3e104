"""Hostile repositories against the CLI (docs/security.md): each test builds what an attacker
would commit (symbolic links out of the folder, loops, FIFOs, escape sequences in names, route
tests that cannot fail) and asserts the safe outcome, in bounded time."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from diddy_check import run

CLEAN = '{"services": {"users": {"endpoints": ["https://users.example.com"]}}, "routing": {"default": "users"}}\n'
ESCAPE = "\u001b]0;owned\u0007\u001b[2J"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Item 4: discovery and files.


def test_check_does_not_loop_through_symlinks_to_the_parent(tmp_path: Path):
    project = tmp_path / "project"
    write(project / "diddy-mesh.jsonc", CLEAN)
    os.symlink("..", project / "up")
    os.symlink("..", project / "again")
    started = time.monotonic()
    result = run("check", str(project))
    assert time.monotonic() - started < 10
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no problems in 1 file\n"
    assert result.stderr.splitlines() == [
        f"note: skipped '{project / name}': a symbolic link is not followed in a folder search (name its target to check it)"
        for name in ("again", "up")
    ]


def test_check_never_reads_through_a_symlinked_config_outside_the_folder(tmp_path: Path):
    secret = write(tmp_path / "outside" / "secret.mesh.json", '{"services": {"SECRET-TOKEN-123": {}}}')
    project = tmp_path / "project"
    write(project / "diddy-mesh.jsonc", CLEAN)
    os.symlink(secret, project / "leak.mesh.json")
    result = run("check", str(project), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "SECRET-TOKEN-123" not in result.stdout + result.stderr
    paths = [file["path"] for file in json.loads(result.stdout)["files"]]
    assert paths == [str(project / "diddy-mesh.jsonc")]
    assert f"skipped '{project / 'leak.mesh.json'}'" in result.stderr


def test_check_skips_a_fifo_in_a_folder_and_refuses_one_by_name_without_blocking(tmp_path: Path):
    project = tmp_path / "project"
    write(project / "diddy-mesh.jsonc", CLEAN)
    os.mkfifo(project / "pipe.mesh.json")
    started = time.monotonic()
    in_folder = run("check", str(project))
    named = run("check", str(project / "pipe.mesh.json"))
    assert time.monotonic() - started < 10
    assert in_folder.returncode == 0, in_folder.stderr
    assert f"skipped '{project / 'pipe.mesh.json'}': it is a FIFO, not a regular file" in in_folder.stderr
    assert named.returncode == 2
    assert "it is a FIFO, not a regular file" in named.stderr


def test_check_refuses_a_device_by_name(tmp_path: Path):
    started = time.monotonic()
    result = run("check", "/dev/zero")
    assert time.monotonic() - started < 10
    assert result.returncode == 2
    assert "cannot read '/dev/zero': it is a device, not a regular file" in result.stderr


def test_init_never_writes_through_a_dangling_symlink(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    target = tmp_path / "outside" / "planted.jsonc"
    target.parent.mkdir()
    os.symlink(target, project / "diddy-mesh.jsonc")
    refused = run("init", "--directory", str(project))
    assert refused.returncode == 2
    assert "already exist" in refused.stderr
    assert not target.exists()
    forced = run("init", "--directory", str(project), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not target.exists(), "--force replaced the link itself, not what it points to"
    assert not (project / "diddy-mesh.jsonc").is_symlink()
    assert (project / "diddy-mesh.jsonc").read_text().startswith("//")


# Item 5: output.


def hostile_config(tmp_path: Path) -> Path:
    name = json.dumps(f"users{ESCAPE}")
    text = (
        '{"services": {"users": {"endpoints": ["https://users.example.com"]}},\n'
        f' "routing": {{"rules": [{{"name": {name}, "path": "/a", "service": {name}}}], "default": "users"}}}}\n'
    )
    return write(tmp_path / "diddy-mesh.jsonc", text)


def test_text_and_github_output_never_carry_control_characters(tmp_path: Path):
    config = hostile_config(tmp_path)
    for format_name in ("text", "github"):
        result = run("check", str(config), "--format", format_name)
        assert result.returncode == 1, result.stderr
        output = result.stdout + result.stderr
        assert "\u001b" not in output and "\u0007" not in output, format_name
        assert "users\u241b]0;owned\u2407\u241b[2J" in output, format_name


def test_json_output_keeps_control_characters_escaped_as_json(tmp_path: Path):
    config = hostile_config(tmp_path)
    result = run("check", str(config), "--format", "json")
    assert "\u001b" not in result.stdout
    messages = [d["message"] for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]]
    assert any(ESCAPE in message for message in messages)


def test_route_text_trace_escapes_names_from_the_config(tmp_path: Path):
    config = hostile_config(tmp_path)
    result = run("route", str(config), "--url", "https://x.example/a")
    assert "\u001b" not in result.stdout + result.stderr
    assert "\u241b]0;owned" in result.stdout


# Item 6: route tests that can fail.


def route_tests(tmp_path: Path, tests: str) -> Path:
    return write(tmp_path / "route-tests.json", '{"tests": [\n' + tests + "\n]}\n")


@pytest.mark.parametrize(
    ("test", "error"),
    [
        (
            '  {"request": {"url": "https://x.example/"}, "expect": {"servce": "orders"}}',
            "2:57: unknown key 'servce' in test 1: expect; did you mean 'service'?",
        ),
        (
            '  {"request": {"url": "https://x.example/"}, "expect": {"rule": true}}',
            "2:65: test 1: expect.rule must be a rule name or a rule index (0 or more), found a boolean",
        ),
    ],
    ids=["misspelled key", "wrong type"],
)
def test_route_tests_that_cannot_fail_are_refused_with_their_position(tmp_path: Path, test: str, error: str):
    config = write(tmp_path / "diddy-mesh.jsonc", CLEAN)
    tests = route_tests(tmp_path, test)
    result = run("route", str(config), "--tests", str(tests))
    assert result.returncode == 2
    assert f"error: {tests}:{error}" in result.stderr


def test_route_tests_report_every_problem_at_once(tmp_path: Path):
    config = write(tmp_path / "diddy-mesh.jsonc", CLEAN)
    tests = route_tests(
        tmp_path,
        '  {"request": {"url": "https://x.example/", "metod": "GET"}},\n'
        '  {"request": {"url": "ftp://x.example/"}, "expect": {"outcome": "routd"}}',
    )
    result = run("route", str(config), "--tests", str(tests))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 3, result.stderr
    assert "unknown key 'metod' in test 1: request; did you mean 'method'?" in lines[0]
    assert "test 2: request.url must be an absolute http(s) URL, found 'ftp://x.example/'" in lines[1]
    assert "test 2: expect.outcome is 'routd'; expected one of 'routed', 'default', 'no-route'; did you mean 'routed'?" in lines[2]


def test_the_shop_route_tests_still_pass():
    from diddy_check import EXAMPLES

    result = run(
        "route", str(EXAMPLES / "shop" / "diddy-mesh.jsonc"), "--tests", str(EXAMPLES / "shop" / "route-tests.json")
    )
    assert result.returncode == 0, result.stderr


# Item 1: the wrangler-local store stays inside its folder.

WRANGLER_TOML = 'name = "x"\nkv_namespaces = [{ binding = "MESH_KV", id = "0f2ac74b498b48028cb68387c421e279", preview_id = "ns" }]\n'


def store_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    write(project / "wrangler.toml", WRANGLER_TOML)
    write(project / "diddy-mesh.jsonc", CLEAN)
    assert run("kv", "put", "mesh:config", "{}", cwd=project).returncode == 0
    assert run("kv", "put", "plain", "v", cwd=project).returncode == 0
    return project


def blob_of(project: Path, key: str) -> Path:
    import sqlite3

    databases = list((project / ".wrangler/state/v3/kv/miniflare-KVNamespaceObject").glob("*.sqlite"))
    with sqlite3.connect(databases[0]) as connection:
        (blob_id,) = connection.execute("SELECT blob_id FROM _mf_entries WHERE key = ?", (key,)).fetchone()
    return project / ".wrangler/state/v3/kv/ns/blobs" / blob_id


def test_a_blob_linked_to_the_process_environment_is_refused(tmp_path: Path):
    project = store_project(tmp_path)
    blob = blob_of(project, "mesh:config")
    blob.unlink()
    os.symlink("/proc/self/environ", blob)
    env = dict(os.environ, CANARY_SECRET="do-not-print-me")
    import subprocess

    from diddy_check import binary

    result = subprocess.run(
        [str(binary()), "config", "diff", "diddy-mesh.jsonc"], cwd=project, env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert "do-not-print-me" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert "the value of key 'mesh:config' is unreadable" in result.stderr
    assert "symbolic link" in result.stderr


def test_a_blob_linked_to_dev_zero_fails_at_once(tmp_path: Path):
    project = store_project(tmp_path)
    blob = blob_of(project, "plain")
    blob.unlink()
    os.symlink("/dev/zero", blob)
    started = time.monotonic()
    result = run("kv", "get", "plain", cwd=project)
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "the value of key 'plain' is unreadable" in result.stderr


def test_a_blobs_folder_linked_elsewhere_is_never_written_or_emptied(tmp_path: Path):
    project = store_project(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    blobs = project / ".wrangler/state/v3/kv/ns/blobs"
    shutil_rmtree(blobs)
    os.symlink(victim, blobs)
    for args in (("put", "k", "v"), ("delete", "plain"), ("get", "plain"), ("list",)):
        result = run("kv", *args, cwd=project)
        assert result.returncode == 1, (args, result.stderr)
        assert "is a symbolic link, which is not followed inside" in result.stderr, args
    assert sorted(path.name for path in victim.iterdir()) == ["keep.txt"]
    assert (victim / "keep.txt").read_text() == "precious"


def test_a_linked_database_is_not_opened(tmp_path: Path):
    project = store_project(tmp_path)
    folder = project / ".wrangler/state/v3/kv/miniflare-KVNamespaceObject"
    outside = tmp_path / "outside.sqlite"
    for database in folder.glob("*.sqlite"):
        database.rename(outside)
        os.symlink(outside, database)
    for suffix in ("-wal", "-shm"):
        for companion in folder.glob(f"*.sqlite{suffix}"):
            companion.unlink()
    result = run("kv", "list", cwd=project)
    assert result.returncode == 1
    assert "is a symbolic link, which is not followed inside" in result.stderr


def shutil_rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


# Item 3: hostile endpoints against the prober.


def test_a_probe_round_is_bounded_by_an_endless_body_and_never_follows_a_redirect(tmp_path: Path, targets: dict):
    import subprocess
    import urllib.request

    from diddy_check import binary, write_probed_project

    config = write_probed_project(tmp_path, [targets["endless"], targets["redirect"], targets["healthy"]])
    data = json.loads(config.read_text())
    data["services"]["api"]["healthCheck"]["timeout"] = 1000
    config.write_text(json.dumps(data))
    urllib.request.urlopen(targets["tracked"] + "/__reset", timeout=5).read()
    started = time.monotonic()
    process = subprocess.Popen(
        [str(binary()), "health", "probe", str(config), "--once"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    stdout = process.stdout.read() if process.stdout else ""
    stderr = process.stderr.read() if process.stderr else ""
    assert os.waitstatus_to_exitcode(status) == 0, stderr
    assert elapsed < 2.0, f"the round took {elapsed:.1f} s with a 1 s timeout"
    assert usage.ru_maxrss < 100 * 1024, f"peak memory {usage.ru_maxrss // 1024} MiB"
    statuses = {fields[1]: fields[2] for fields in (line.split("\t") for line in stdout.strip().splitlines())}
    assert statuses[targets["healthy"]] == "healthy"
    assert statuses[targets["redirect"]] == "unhealthy"
    stats = json.loads(urllib.request.urlopen(targets["tracked"] + "/__stats", timeout=5).read())
    assert stats["requests"] == 0, "the redirect was followed to another server"
    records = json.loads(run("kv", "list", "--prefix", "health:api:", "--format", "json", cwd=tmp_path).stdout)
    stored = [json.loads(run("kv", "get", entry["name"], cwd=tmp_path).stdout) for entry in records]
    (redirect,) = [record for record in stored if record["endpoint"] == targets["redirect"]]
    assert redirect["lastError"] == {"kind": "status", "message": "status 302, expected 2xx", "status": 302}
