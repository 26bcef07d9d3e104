"""One config discovery for every command (docs/guide/config-discovery.md), end to end: a
path may be a file, a folder or `-` (standard input, named by `--stdin-filename`); with no
path the search goes from the current folder up to the repository root and never above it;
the commands that read one config refuse a folder holding several; what was searched is in
every error; and the security rules of folder searches hold in the folders above too."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from diddy_check import binary

CONFIG = (
    '{"services": {"users": {"endpoints": ["https://users.example.com"]}},\n'
    ' "routing": {"rules": [{"path": "/api/*", "service": "users"}]}}\n'
)
BROKEN = '{"services": {"users": {"endpoints": ["https://users.example.com"]}}, "routing": {"default": "usrs"}}\n'
WRANGLER_TOML = '[[kv_namespaces]]\nbinding = "MESH_KV"\nid = "mesh-ns"\n'
ESCAPE = "\u001b]0;owned\u0007"


def mesh(*args: str, cwd: Path, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    """diddy-mesh with `args` in `cwd`, `stdin` piped in (else an empty pipe)."""
    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    result = subprocess.run(
        [str(binary()), *args], cwd=cwd, env=dict(os.environ, NO_COLOR="1"), input=data,
        capture_output=True, timeout=120, check=False,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace"))


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository with its config at the root and an empty sub-folder `services/api`."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "services" / "api").mkdir(parents=True)
    (root / "diddy-mesh.jsonc").write_text(CONFIG)
    (root / "wrangler.toml").write_text(WRANGLER_TOML)
    return root


def test_every_command_finds_the_config_above_a_sub_folder(repo: Path):
    here = repo / "services" / "api"
    checked = mesh("check", cwd=here)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "no problems in 1 file\n", "")
    routed = mesh("route", "--url", "https://x.example/api/a", cwd=here)
    assert routed.returncode == 0, routed.stderr
    assert "-> rule #0 /api/* (../../diddy-mesh.jsonc:2:24)" in routed.stdout
    diff = mesh("config", "diff", cwd=here)
    assert diff.returncode == 1, diff.stderr
    assert diff.stdout == "nothing is deployed in wrangler-local namespace mesh-ns " \
        f"({repo / '.wrangler/state/v3/kv'}) yet (diddy-mesh config push ../../diddy-mesh.jsonc)\n"
    assert mesh("config", "push", cwd=here).returncode == 0
    assert mesh("config", "diff", "../..", cwd=here).returncode == 0


@pytest.mark.parametrize("path", [".", "..", "../.."])
def test_route_takes_a_folder_holding_one_config(repo: Path, path: str):
    result = mesh("route", path, "--url", "https://x.example/api/a", cwd=repo / "services" / "api")
    # From services/api, `.` and `..` hold no config: the error names the folder searched.
    if path == "../..":
        assert result.returncode == 0, result.stderr
        assert "-> service users" in result.stdout
    else:
        assert result.returncode == 2
        assert result.stderr == f"error: no mesh config found in {path} (searched it with its sub-folders for " \
            "diddy-mesh.json(c), *.mesh.json(c) and JSON files whose $schema ends in diddy-mesh.schema.json)\n"


def test_the_search_stops_at_the_repository_root(tmp_path: Path):
    (tmp_path / "diddy-mesh.jsonc").write_text(CONFIG)
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "src").mkdir()
    result = mesh("check", cwd=tmp_path / "repo" / "src")
    assert result.returncode == 2
    assert result.stderr == (
        "error: no mesh config found: searched . with its sub-folders, then .. (the repository root, which holds "
        ".git), for diddy-mesh.json(c), *.mesh.json(c) and JSON files whose $schema ends in "
        "diddy-mesh.schema.json; name a config file or folder\n")
    for command in (["route", "--url", "https://x.example/"], ["health", "probe", "--once"], ["config", "diff"]):
        refused = mesh(*command, cwd=tmp_path / "repo" / "src")
        assert (refused.returncode, refused.stderr) == (2, result.stderr), command


def test_standard_input_with_and_without_a_name(repo: Path):
    named = mesh("check", "-", "--stdin-filename", "api/edge.jsonc", cwd=repo, stdin=BROKEN)
    assert named.returncode == 1
    # Every finding is reported under the name given for standard input.
    assert "api/edge.jsonc:1:94: error[DM301]: unknown service 'usrs'; did you mean 'users'?" in named.stdout
    assert "<stdin>" not in named.stdout
    unnamed = mesh("check", "-", "--format", "github", cwd=repo, stdin=BROKEN)
    assert "::error file=<stdin>,line=1,col=94," in unnamed.stdout
    routed = mesh("route", "-", "--url", "https://x.example/api/a", cwd=repo, stdin=CONFIG)
    assert routed.returncode == 0, routed.stderr
    assert "-> rule #0 /api/* (<stdin>:2:24)" in routed.stdout
    both = mesh("check", "-", "diddy-mesh.jsonc", cwd=repo, stdin=BROKEN)
    assert both.returncode == 1 and "<stdin>:1:94" in both.stdout and "2 files" in both.stdout
    # The name also says where the wrangler config is searched from.
    pushed = mesh("config", "push", "-", "--stdin-filename", "diddy-mesh.jsonc", cwd=repo, stdin=CONFIG)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.startswith("pushed diddy-mesh.jsonc (sha256 ")


def test_bad_standard_input_forms_exit_2(repo: Path):
    assert mesh("check", "-", "-", cwd=repo).stderr == "error: standard input ('-') can be read only once\n"
    alone = mesh("check", "diddy-mesh.jsonc", "--stdin-filename", "x.jsonc", cwd=repo)
    assert (alone.returncode, alone.stderr) == (2, "error: --stdin-filename names standard input: give '-' as the path too\n")
    binary_input = mesh("route", "-", "--url", "https://x.example/", cwd=repo, stdin=b"\x00\x01\x02")
    assert (binary_input.returncode, binary_input.stderr) == (2, "error: '<stdin>' is a binary file, not a JSON mesh config\n")


def test_standard_input_has_a_size_cap(repo: Path):
    started = time.monotonic()
    with subprocess.Popen([str(binary()), "check", "-"], cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        chunk = b" " * (1024 * 1024)
        try:
            for _ in range(300):
                assert process.stdin is not None
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass  # it stopped reading at the cap, as it should
        finally:
            try:
                process.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass
        stderr = process.stderr.read().decode() if process.stderr else ""
        assert process.wait(timeout=60) == 2
    assert stderr == "error: cannot read standard input: it is larger than the 256 MiB limit\n"
    assert time.monotonic() - started < 60


def test_a_folder_with_several_configs(repo: Path):
    (repo / "services" / "api" / "api.mesh.jsonc").write_text(CONFIG)
    (repo / "services" / "edge.mesh.json").write_text(CONFIG)
    checked = mesh("check", "services", cwd=repo)
    assert (checked.returncode, checked.stdout) == (0, "no problems in 2 files\n")
    for command, name in ((["route", "services", "--url", "https://x.example/"], "route"),
                          (["health", "probe", "services", "--once"], "health probe"),
                          (["config", "push", "services"], "config push")):
        refused = mesh(*command, cwd=repo)
        assert refused.returncode == 2, command
        assert refused.stderr == f"error: {name} reads one mesh config, and 2 were found: " \
            "services/api/api.mesh.jsonc, services/edge.mesh.json; name the one to use\n"


def test_no_link_is_followed_out_of_a_folder_above(repo: Path, tmp_path: Path):
    secret = tmp_path / "outside" / "secret.mesh.jsonc"
    secret.parent.mkdir()
    secret.write_text('{"services": {"SECRET-TOKEN-123": {}}}')
    (repo / "diddy-mesh.jsonc").unlink()
    os.symlink(secret, repo / "diddy-mesh.jsonc")
    os.mkfifo(repo / "services" / "pipe.mesh.json")
    result = mesh("check", cwd=repo / "services" / "api")
    assert result.returncode == 2
    assert "SECRET-TOKEN-123" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[:2] == [
        "note: skipped '../pipe.mesh.json': it is a FIFO, not a regular file",
        "note: skipped '../../diddy-mesh.jsonc': a symbolic link is not followed in a folder search "
        "(name its target to check it)",
    ]
    named = mesh("check", "../../diddy-mesh.jsonc", cwd=repo / "services" / "api")
    # A path you name is followed: the target is read and checked (its service name is invalid).
    assert named.returncode == 1 and "SECRET-TOKEN-123" in named.stdout


def test_names_from_the_command_line_are_escaped(repo: Path):
    result = mesh("route", "-", "--stdin-filename", f"x{ESCAPE}.jsonc", "--url", "https://x.example/api/a", cwd=repo,
                  stdin=CONFIG)
    assert result.returncode == 0
    assert "\u001b" not in result.stdout + result.stderr
    assert "x\u241b]0;owned\u2407.jsonc:2:24" in result.stdout
    missing = mesh("check", f"no{ESCAPE}such", cwd=repo)
    assert missing.returncode == 2 and "\u001b" not in missing.stderr


def test_kv_uses_the_registry_of_the_config_the_search_finds(repo: Path):
    here = repo / "services" / "api"
    assert mesh("kv", "put", "service:users", "{}", cwd=here).returncode == 0
    # The namespace is the root wrangler config's, in the root's state folder, as for `config push`.
    assert (repo / ".wrangler" / "state" / "v3" / "kv").is_dir()
    assert not (here / ".wrangler").exists()
    assert mesh("kv", "list", cwd=repo).stdout == "service:users\n"
    for folder in ("a", "b"):
        (repo / "services" / folder).mkdir()
        (repo / "services" / folder / "edge.mesh.json").write_text(CONFIG)
    several = mesh("kv", "list", cwd=repo / "services")
    assert (several.returncode, several.stderr) == (
        2, "error: kv reads one mesh config, and 2 were found: ./a/edge.mesh.json, ./b/edge.mesh.json; "
        "name the one to use\n")
    missing = mesh("kv", "list", "--config", "nope.jsonc", cwd=repo)
    assert (missing.returncode, missing.stderr) == (2, "error: cannot read 'nope.jsonc': no such file or directory\n")


def test_fmt_takes_the_same_forms(repo: Path):
    unformatted = '{"services":{"users":{"endpoints":["https://users.example.com"]}}} // kept\n'
    (repo / "diddy-mesh.jsonc").write_text(unformatted)
    checked = mesh("fmt", "--check", cwd=repo / "services" / "api")
    assert checked.returncode == 1
    assert checked.stdout.startswith("--- a/../../diddy-mesh.jsonc\n+++ b/../../diddy-mesh.jsonc\n")
    # Standard input is written formatted to standard output, byte for byte (comments, and
    # text a terminal would act on, are the user's own and are kept), and nothing is written.
    piped = mesh("fmt", "-", cwd=repo, stdin=unformatted.replace("kept", f"kept{ESCAPE}"))
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == '{ "services": { "users": { "endpoints": ["https://users.example.com"] } } }' \
        f" // kept{ESCAPE}\n"
    assert (repo / "diddy-mesh.jsonc").read_text() == unformatted
    # The same layout as formatting the file in place.
    assert mesh("fmt", "diddy-mesh.jsonc", cwd=repo).returncode == 0
    assert (repo / "diddy-mesh.jsonc").read_text() == piped.stdout.replace(ESCAPE, "")
    diffed = mesh("fmt", "--check", "-", "--stdin-filename", "edge.jsonc", cwd=repo, stdin=unformatted)
    assert diffed.returncode == 1 and diffed.stdout.startswith("--- a/edge.jsonc\n+++ b/edge.jsonc\n")
    assert mesh("fmt", "-", cwd=repo, stdin=piped.stdout).stdout == piped.stdout


def test_check_fix_refuses_standard_input_but_shows_its_diff(repo: Path):
    trailing = '{"services": {"users": {"endpoints": ["https://users.example.com"],}}}\n'
    refused = mesh("check", "--fix", "-", "--stdin-filename", "diddy-mesh.jsonc", cwd=repo, stdin=trailing)
    assert (refused.returncode, refused.stderr) == (
        2, "error: check --fix cannot write fixes back to standard input; use --fix --dry-run for a diff\n")
    assert (repo / "diddy-mesh.jsonc").read_text() == CONFIG
    shown = mesh("check", "--fix", "--dry-run", "-", cwd=repo, stdin=trailing)
    assert shown.returncode == 1, shown.stderr
    assert shown.stdout.startswith("--- a/<stdin>\n+++ b/<stdin>\n")
