"""An independent implementation of the wrangler-local (Miniflare 3+) KV layout.

Written from the documented layout only (docs/guide/registry.md, "Keys and records", and
docs/registry-resolution.md), with nothing but
the standard library (`sqlite3`, `hmac`, `hashlib`), so that it can stand in for Miniflare
in the interop and concurrency tests of `WranglerLocalKVStore`:

- database: `<root>/miniflare-KVNamespaceObject/<hex>.sqlite`, `<hex>` derived by HMAC-SHA256;
- table `_mf_entries(key, blob_id, expiration ms, metadata JSON text)`, WAL mode;
- values in `<root>/<namespace id>/blobs/<blob_id>`, blob_id = 32 random bytes then the
  creation time in ms as a big-endian int64, in hex; blob first, then the row, then the old
  blob goes.

Command line (used by the Swift tests; JSON in and out):

    miniflare_kv.py name UNIQUE_KEY NAME            print the durable object name (hex)
    miniflare_kv.py write ROOT NS < ops.json        apply [{"op": "put"|"delete", ...}]
    miniflare_kv.py dump ROOT NS --now-ms T [--page N] [--prefix P]
                                                    print every live entry, rows and listing
    miniflare_kv.py stress ROOT NS --ops N --writer W --ready FILE --go FILE --report FILE
                                                    the concurrency worker (see `stress`)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

UNIQUE_KEY = "miniflare-KVNamespaceObject"
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS _mf_entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, "
    "expiration INTEGER, metadata TEXT);"
    "CREATE INDEX IF NOT EXISTS _mf_entries_expiration_idx ON _mf_entries(expiration);"
)


# SQLite's busy timeout, and the time within which an early "database is locked" is tried
# again (see `_retrying_busy`).
BUSY_TIMEOUT_S = 5.0


def _retrying_busy(operation, budget: float = BUSY_TIMEOUT_S):
    """`operation()`, run again while SQLite answers "database is locked" before its busy
    timeout could have run out: a reader that meets another process's WAL recovery or
    journal-mode change gets that at once, and no busy timeout helps. Pauses double from
    1 to 50 ms until the timeout has passed since the first try, as the Swift store's
    WranglerLocalBusyRetry does; any other error ends it at once."""
    started = time.monotonic()
    pause = 0.001
    while True:
        try:
            return operation()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() - started + pause > budget:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


def _missing_table(error: sqlite3.OperationalError) -> bool:
    """Whether `error` is a read before the other process created the table: an empty store,
    as Miniflare and the Swift store read it."""
    return "no such table" in str(error)


def _replacing_row(db: sqlite3.Connection, key: str, statement: str, arguments: tuple):
    """In one write transaction, tried again on an early busy (`_retrying_busy`): the row of
    `key` as it was (its blob_id, or None), then `statement` run with `arguments`."""

    def transaction():
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT blob_id FROM _mf_entries WHERE key = ?", (key,)).fetchone()
            db.execute(statement, arguments)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return row

    return _retrying_busy(transaction)


def durable_object_name(unique_key: str, name: str) -> str:
    """hex(nameHmac || hmac) with key = SHA-256(unique_key)."""
    key = hashlib.sha256(unique_key.encode("utf-8")).digest()
    name_hmac = hmac.new(key, name.encode("utf-8"), hashlib.sha256).digest()[:16]
    check = hmac.new(key, name_hmac, hashlib.sha256).digest()[:16]
    return (name_hmac + check).hex()


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class MiniflareKV:
    """One namespace of the on-disk store."""

    def __init__(self, root: str | Path, namespace_id: str, clock=now_ms) -> None:
        self.root = Path(root)
        self.namespace_id = namespace_id
        self.clock = clock
        self.db_path = self.root / UNIQUE_KEY / (durable_object_name(UNIQUE_KEY, namespace_id) + ".sqlite")
        self.blob_dir = self.root / namespace_id / "blobs"
        self._db: sqlite3.Connection | None = None
        self._schema_ready = False
        self.blob_races = 0  # reads that found a blob replaced under them and read again

    # -- connection -------------------------------------------------------------------

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._db is None:
            if not create and not self.db_path.exists():
                return None
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are opened explicitly (BEGIN IMMEDIATE for
            # writes), and the 5 s timeout is SQLite's busy timeout.
            self._db = sqlite3.connect(str(self.db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            _retrying_busy(lambda: self._db.execute("PRAGMA synchronous = NORMAL"))
        if create and not self._schema_ready:
            _retrying_busy(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
            _retrying_busy(lambda: self._db.executescript(SCHEMA))
            self._schema_ready = True
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- blobs --------------------------------------------------------------------------

    def new_blob_id(self) -> str:
        return (os.urandom(32) + self.clock().to_bytes(8, "big", signed=True)).hex()

    def _write_blob(self, value: bytes) -> str:
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        blob_id = self.new_blob_id()
        temporary = self.blob_dir / f".{blob_id}.py-tmp"
        temporary.write_bytes(value)
        os.replace(temporary, self.blob_dir / blob_id)
        return blob_id

    def _remove_blob(self, blob_id: str) -> None:
        try:
            (self.blob_dir / blob_id).unlink()
        except FileNotFoundError:
            pass

    # -- KV -----------------------------------------------------------------------------

    def put(self, key: str, value: bytes, metadata: str | None = None, expiration_ms: int | None = None) -> None:
        db = self._connect(create=True)
        blob_id = self._write_blob(value)
        try:
            row = _replacing_row(
                db, key,
                "INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, ?, ?)",
                (key, blob_id, expiration_ms, metadata),
            )
        except BaseException:
            self._remove_blob(blob_id)
            raise
        if row is not None and row[0] != blob_id:
            self._remove_blob(row[0])

    def put_ttl(self, key: str, value: bytes, metadata: str | None, ttl_seconds: int) -> None:
        self.put(key, value, metadata, self.clock() + ttl_seconds * 1000)

    def row(self, key: str) -> tuple[str, int | None, str | None] | None:
        """(blob_id, expiration ms, metadata) of the live row of `key`."""
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = _retrying_busy(
                lambda: db.execute(
                    "SELECT blob_id, expiration, metadata FROM _mf_entries WHERE key = ?", (key,)
                ).fetchone()
            )
        except sqlite3.OperationalError as error:
            if not _missing_table(error):
                raise
            return None
        if row is None or (row[1] is not None and row[1] <= self.clock()):
            return None
        return row

    def get(self, key: str) -> tuple[bytes, str | None, int | None] | None:
        """(value, metadata, expiration ms) or None when absent or expired."""
        previous = None
        for _ in range(64):
            row = self.row(key)
            if row is None:
                return None
            blob_id, expiration, metadata = row
            try:
                return (self.blob_dir / blob_id).read_bytes(), metadata, expiration
            except FileNotFoundError:
                # Replaced between the row and the file: read the row again.
                if blob_id == previous:
                    raise RuntimeError(f"key {key!r}: blob {blob_id} is missing")
                previous = blob_id
                self.blob_races += 1
        raise RuntimeError(f"key {key!r} kept changing")

    def delete(self, key: str) -> None:
        db = self._connect(create=False)
        if db is None:
            return
        try:
            row = _replacing_row(db, key, "DELETE FROM _mf_entries WHERE key = ?", (key,))
        except sqlite3.OperationalError as error:
            if not _missing_table(error):
                raise
            return
        if row is not None:
            self._remove_blob(row[0])

    def list(self, prefix: str = "", cursor: str | None = None, limit: int = 1000) -> tuple[list[dict], str | None]:
        """One page: [{"name", "expiration" (seconds), "metadata"}], next cursor."""
        db = self._connect(create=False)
        if db is None:
            return [], None
        start_after = base64.b64decode(cursor).decode("utf-8") if cursor else ""
        try:
            rows = _retrying_busy(
                lambda: db.execute(
                    "SELECT key, expiration, metadata FROM _mf_entries "
                    "WHERE substr(key, 1, length(?1)) = ?1 AND key > ?2 "
                    "AND (expiration IS NULL OR expiration > ?3) ORDER BY key LIMIT ?4",
                    (prefix, start_after, self.clock(), limit + 1),
                ).fetchall()
            )
        except sqlite3.OperationalError as error:
            if not _missing_table(error):
                raise
            return [], None
        page = [
            {"name": k, "expiration": None if e is None else e // 1000, "metadata": m}
            for k, e, m in rows[:limit]
        ]
        next_cursor = base64.b64encode(page[-1]["name"].encode("utf-8")).decode() if len(rows) > limit else None
        return page, next_cursor

    def list_all(self, prefix: str = "", page: int = 1000) -> list[dict]:
        keys, cursor = [], None
        while True:
            chunk, cursor = self.list(prefix, cursor, page)
            keys.extend(chunk)
            if cursor is None:
                return keys


# -- checksummed values for the concurrency test ------------------------------------------


def make_value(writer: str, key: str, seq: int, rng: random.Random) -> bytes:
    """`writer|key|seq|padding#sha256hex(everything before #)`."""
    body = f"{writer}|{key}|{seq}|".encode() + bytes(rng.choice(b"abcdefghij") for _ in range(rng.randrange(0, 3000)))
    return body + b"#" + hashlib.sha256(body).hexdigest().encode()


def check_value(key: str, value: bytes) -> bool:
    body, _, digest = value.rpartition(b"#")
    if hashlib.sha256(body).hexdigest().encode() != digest:
        return False
    parts = body.split(b"|", 3)
    return len(parts) == 4 and parts[1].decode() == key


def stress(store: MiniflareKV, ops: int, writer: str, seed: int, ready: Path, go: Path, keys: int, shared: int) -> dict:
    """Puts, deletes, gets and lists mixed, for `ops` operations, counting everything.

    Own keys are `c:<writer>:<i>`; `c:shared:<j>` is written by every writer. Every value
    read is checked against its checksum and key; the last value written to each key is
    reported so the caller can prove no write was lost.
    """
    rng = random.Random(seed)
    counts = {"puts": 0, "deletes": 0, "gets": 0, "hits": 0, "lists": 0, "listed": 0, "torn": 0, "errors": 0}
    errors: list[str] = []
    last: dict[str, str | None] = {}
    ready.write_text("ready")  # everything is imported; start together on `go`
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the go file never appeared")
        time.sleep(0.001)
    started = now_ms()
    for seq in range(ops):
        roll = rng.random()
        try:
            if roll < 0.55:
                key = f"c:{writer}:{rng.randrange(keys)}"
            elif roll < 0.65:
                key = f"c:shared:{rng.randrange(shared)}"
            else:
                key = None
            if key is not None:
                value = make_value(writer, key, seq, rng)
                metadata = json.dumps({"w": writer, "seq": seq, "sha": hashlib.sha256(value).hexdigest()[:16]})
                store.put(key, value, metadata, None)
                last[key] = base64.b64encode(value).decode()
                counts["puts"] += 1
            elif roll < 0.70:
                key = f"c:{writer}:{rng.randrange(keys)}"
                store.delete(key)
                last[key] = None
                counts["deletes"] += 1
            elif roll < 0.95:
                space = rng.choice(["swift", "py", "shared"])
                key = f"c:{space}:{rng.randrange(shared if space == 'shared' else keys)}"
                counts["gets"] += 1
                got = store.get(key)
                if got is not None:
                    counts["hits"] += 1
                    if not check_value(key, got[0]) or json.loads(got[1])["sha"] != hashlib.sha256(got[0]).hexdigest()[:16]:
                        counts["torn"] += 1
            else:
                page, _ = store.list(prefix=rng.choice(["c:swift:", "c:py:", "c:shared:", "c:"]), limit=100)
                counts["lists"] += 1
                counts["listed"] += len(page)
                for entry in page:
                    json.loads(entry["metadata"])
        except Exception as error:  # counted and reported, never hidden
            counts["errors"] += 1
            errors.append(f"{type(error).__name__}: {error}")
    return {
        **counts,
        "ops": ops,
        "blob_races": store.blob_races,
        "error_samples": errors[:5],
        "started_ms": started,
        "finished_ms": now_ms(),
        "last": last,
    }


# -- command line -------------------------------------------------------------------------


def _dump(store: MiniflareKV, page: int, prefix: str) -> dict:
    db = store._connect(create=False)
    rows = [] if db is None else db.execute("SELECT key, blob_id, expiration, metadata FROM _mf_entries ORDER BY key").fetchall()
    entries = {}
    for key, blob_id, _, _ in rows:
        got = store.get(key)
        if got is not None:
            entries[key] = {
                "value": base64.b64encode(got[0]).decode(),
                "metadata": got[1],
                "expiration_ms": got[2],
                "blob_id": blob_id,
            }
    return {
        "database": str(store.db_path),
        "rows": len(rows),
        "entries": entries,
        "listing": store.list_all(prefix, page),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    name = sub.add_parser("name")
    name.add_argument("unique_key")
    name.add_argument("name")
    for command in ("write", "dump", "stress"):
        p = sub.add_parser(command)
        p.add_argument("root")
        p.add_argument("namespace")
        p.add_argument("--now-ms", type=int, default=None)
    sub.choices["dump"].add_argument("--page", type=int, default=1000)
    sub.choices["dump"].add_argument("--prefix", default="")
    stress_parser = sub.choices["stress"]
    stress_parser.add_argument("--ops", type=int, required=True)
    stress_parser.add_argument("--writer", required=True)
    stress_parser.add_argument("--seed", type=int, default=1)
    stress_parser.add_argument("--keys", type=int, default=200)
    stress_parser.add_argument("--shared", type=int, default=20)
    stress_parser.add_argument("--ready", type=Path, required=True)
    stress_parser.add_argument("--go", type=Path, required=True)
    stress_parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "name":
        print(durable_object_name(args.unique_key, args.name))
        return 0
    clock = (lambda: args.now_ms) if args.now_ms is not None else now_ms
    store = MiniflareKV(args.root, args.namespace, clock)
    if args.command == "write":
        for op in json.load(sys.stdin):
            if op["op"] == "put":
                value = base64.b64decode(op["value"])
                if "ttl" in op:
                    store.put_ttl(op["key"], value, op.get("metadata"), op["ttl"])
                else:
                    store.put(op["key"], value, op.get("metadata"), op.get("expiration_ms"))
            elif op["op"] == "delete":
                store.delete(op["key"])
            else:
                raise SystemExit(f"unknown op {op['op']!r}")
    elif args.command == "dump":
        json.dump(_dump(store, args.page, args.prefix), sys.stdout)
    else:
        report = stress(store, args.ops, args.writer, args.seed, args.ready, args.go, args.keys, args.shared)
        args.report.write_text(json.dumps(report))
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
