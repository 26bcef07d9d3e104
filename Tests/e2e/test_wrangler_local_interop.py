"""Self-checks of `miniflare_kv.py`, the independent wrangler-local implementation.

The Swift tests (`Tests/MeshRegistryTests/WranglerLocal*Tests.swift`) run it against
`WranglerLocalKVStore` in both directions and as a concurrent second process; these checks
keep the reference itself honest against the spec of the layout, so a disagreement points at the
Swift side. Interop through `diddy-mesh kv` belongs here once those commands exist.
"""

from __future__ import annotations

import sqlite3

import pytest

from miniflare_kv import UNIQUE_KEY, MiniflareKV, _retrying_busy, check_value, durable_object_name, make_value

NOW = 1_764_374_400_000


def test_registry_md_vectors() -> None:
    assert durable_object_name("mykey", "http://foo/") == "59002eb8cf872e541722977a258a12d6a93bbe8192b502e1c0cb250aa91af234"
    assert durable_object_name(UNIQUE_KEY, "TEST_NAMESPACE") == "36463ddcd0a4ca90ece08f9ee493d8fd95653bfebbcd65709818515ae3ccd8d1"


def test_layout_schema_and_blob_ids(tmp_path) -> None:
    store = MiniflareKV(tmp_path, "TEST_NAMESPACE", lambda: NOW)
    store.put("a", b"1", '{"x": 1}', NOW + 60_000)
    assert store.db_path == tmp_path / UNIQUE_KEY / "36463ddcd0a4ca90ece08f9ee493d8fd95653bfebbcd65709818515ae3ccd8d1.sqlite"
    (blob,) = [p.name for p in store.blob_dir.iterdir()]
    assert len(blob) == 80 and blob.endswith(NOW.to_bytes(8, "big").hex())
    with sqlite3.connect(store.db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        sql = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
    assert sql["_mf_entries"] == "CREATE TABLE _mf_entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, expiration INTEGER, metadata TEXT)"
    assert sql["_mf_entries_expiration_idx"] == "CREATE INDEX _mf_entries_expiration_idx ON _mf_entries(expiration)"
    store.close()


def test_put_get_list_expire_delete(tmp_path) -> None:
    clock = [NOW]
    store = MiniflareKV(tmp_path, "ns", lambda: clock[0])
    store.put("k:1", b"\x00\xff", None, None)
    store.put_ttl("k:2", b"two", '{"s": "healthy"}', 60)
    store.put("k:1", b"one", None, None)
    store.put("K:3", b"case", None, None)
    assert store.get("k:1") == (b"one", None, None)
    assert store.get("k:2") == (b"two", '{"s": "healthy"}', NOW + 60_000)
    assert [k["name"] for k in store.list_all("k:", page=1)] == ["k:1", "k:2"]
    assert store.list("k:")[0][1] == {"name": "k:2", "expiration": (NOW + 60_000) // 1000, "metadata": '{"s": "healthy"}'}
    clock[0] = NOW + 60_000  # expiration <= now: expired
    assert store.get("k:2") is None
    assert [k["name"] for k in store.list_all("k:")] == ["k:1"]
    store.delete("k:1")
    assert store.get("k:1") is None
    assert len(list(store.blob_dir.iterdir())) == 2  # k:2 (expired, still stored) and K:3
    store.close()


def test_reads_before_the_other_process_made_the_table_find_nothing(tmp_path) -> None:
    # The file exists, the table not yet: a second process read in that moment.
    store = MiniflareKV(tmp_path, "ns", lambda: NOW)
    store.db_path.parent.mkdir(parents=True)
    sqlite3.connect(store.db_path).close()
    assert store.get("k") is None
    assert store.list() == ([], None)
    store.delete("k")
    store.put("k", b"v")
    assert store.get("k")[0] == b"v"
    store.close()


def test_an_early_busy_is_tried_again_until_the_budget_and_other_errors_end_at_once() -> None:
    answers = [sqlite3.OperationalError("database is locked")] * 2 + ["done"]
    calls = []

    def flaky():
        calls.append(1)
        answer = answers[len(calls) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert _retrying_busy(flaky) == "done" and len(calls) == 3

    def broken():
        calls.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        _retrying_busy(broken)
    assert len(calls) == 1

    def locked():
        calls.append(1)
        raise sqlite3.OperationalError("database is locked")

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _retrying_busy(locked, budget=0.05)
    assert 2 <= len(calls) <= 10, "pauses of 1, 2, 4, ... ms within 50 ms"


def test_checksummed_values() -> None:
    import random

    value = make_value("py", "c:py:1", 7, random.Random(1))
    assert check_value("c:py:1", value)
    assert not check_value("c:py:2", value)
    assert not check_value("c:py:1", value[:-70] + value[-69:])


# Interop through the CLI: the Python reference plays Miniflare, `diddy-mesh kv` the tools.

import json  # noqa: E402
import time  # noqa: E402

from diddy_check import run  # noqa: E402


def _project(tmp_path):
    (tmp_path / "wrangler.toml").write_text('kv_namespaces = [ { binding = "MESH_KV", id = "prod-id", preview_id = "dev-id" } ]\n')
    return tmp_path


def test_cli_reads_what_miniflare_wrote(tmp_path) -> None:
    project = _project(tmp_path)
    store = MiniflareKV(project / ".wrangler" / "state" / "v3" / "kv", "dev-id")
    now = int(time.time() * 1000)
    store.put("health:users:a", b'{"status": "healthy"}', '{"s": "healthy", "t": 1}', now + 600_000)
    store.put("plain", "värde ✓".encode(), None, None)
    store.put("expired", b"gone", None, now - 1)
    listed = json.loads(run("kv", "list", "--format", "json", cwd=project).stdout)
    assert [entry["name"] for entry in listed] == ["health:users:a", "plain"]
    assert listed[0]["metadata"] == {"s": "healthy", "t": 1}
    assert listed[0]["expiration"] == (now + 600_000) // 1000
    assert run("kv", "get", "plain", cwd=project).stdout == "värde ✓"
    assert run("kv", "get", "expired", cwd=project).returncode == 1
    store.close()


def test_miniflare_reads_what_the_cli_wrote(tmp_path) -> None:
    project = _project(tmp_path)
    assert run("kv", "put", "service:a", '{"name": "a"}', "--metadata", '{"version": "1"}', "--ttl", "3600", cwd=project).returncode == 0
    assert run("kv", "put", "mesh:config", "{}", cwd=project).returncode == 0
    store = MiniflareKV(project / ".wrangler" / "state" / "v3" / "kv", "dev-id")
    value, metadata, expiration = store.get("service:a")
    assert value == b'{"name": "a"}' and json.loads(metadata) == {"version": "1"}
    assert abs(expiration - (time.time() * 1000 + 3_600_000)) < 60_000
    assert [entry["name"] for entry in store.list_all()] == ["mesh:config", "service:a"]
    assert run("kv", "delete", "service:a", cwd=project).returncode == 0
    assert store.get("service:a") is None
    store.close()
