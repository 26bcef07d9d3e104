#!/usr/bin/env python3
"""A stand-in for the Cloudflare Workers KV REST API v4, for tests of the `cloudflare` backend.

It keeps one account's namespace in memory and speaks the documented shapes:

    GET    .../accounts/{a}/storage/kv/namespaces/{n}/values/{key}    raw bytes, 404 when absent
    GET    .../accounts/{a}/storage/kv/namespaces/{n}/metadata/{key}  envelope, result = metadata
    PUT    .../accounts/{a}/storage/kv/namespaces/{n}/values/{key}?expiration_ttl=&expiration=
           raw body, or multipart/form-data with parts `value` and `metadata`
    DELETE .../accounts/{a}/storage/kv/namespaces/{n}/values/{key}
    GET    .../accounts/{a}/storage/kv/namespaces/{n}/keys?prefix=&cursor=&limit=
           envelope {success, errors, messages, result: [{name, expiration?, metadata?}],
                     result_info: {count, cursor}}; cursor "" on the last page

Every API request needs `Authorization: Bearer <token>` (401 with a Cloudflare-like body).

Test control, no token needed (these paths are not part of the Cloudflare API):

    POST /__control  {"mode": "429"|"500"|"503"|"hang"|"redirect"|"none", "count": N,
                      "retryAfter": 1 | "http-date:+2" | null, "hangSeconds": 30,
                      "echoAuth": false, "pageSize": 1000, "seed": {"prefix": "k", "count": 2500}}
        The next N API requests get the fault (count defaults to 1). "http-date:+S" sends
        an HTTP date S seconds ahead. "echoAuth" makes fault bodies quote the Authorization
        header, to prove the client never repeats what a server echoes. "seed" writes keys
        `<prefix>00000`.. with value "v<i>" and metadata {"i": i} without HTTP round trips.
    GET  /__stats    {"requests": total API requests, "byRoute": {...}, "faultsServed": N,
                      "lastPut": {"contentType", "parts", "expirationTtl"}, "keys": N}

Usage: fake_cloudflare_kv.py --port 0 [--token T] [--account A] [--namespace N]
       [--page-size 1000] [--lifetime 120] [--watch-stdin]
Binds 127.0.0.1 only, prints the port on stdout once listening, and exits by itself after
--lifetime seconds (or when stdin reaches EOF with --watch-stdin, i.e. when the test that
spawned it dies).
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

API_PATH = re.compile(r"^(?:.*)/accounts/([^/]+)/storage/kv/namespaces/([^/]+)/(values|metadata|keys)(?:/(.*))?$")
MAX_KEY_BYTES = 512
MAX_METADATA_BYTES = 1024
MIN_TTL = 60


class Namespace:
    """The stored keys; every access holds the lock, so handler threads never see a torn entry."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # name -> (value bytes, metadata JSON value or None, expiration epoch seconds or None)
        self.entries: dict[str, tuple[bytes, object, int | None]] = {}

    def live(self, name: str):
        entry = self.entries.get(name)
        if entry is None:
            return None
        if entry[2] is not None and entry[2] <= int(time.time()):
            del self.entries[name]
            return None
        return entry


class Faults:
    """What the next requests should suffer, set through POST /__control."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mode = "none"
        self.remaining = 0
        self.retry_after: object = None
        self.hang_seconds = 30.0
        self.echo_auth = False
        self.served = 0

    def take(self):
        with self.lock:
            if self.mode == "none" or self.remaining <= 0:
                return None
            self.remaining -= 1
            self.served += 1
            return (self.mode, self.retry_after, self.hang_seconds, self.echo_auth)


class State:
    def __init__(self, args: argparse.Namespace) -> None:
        self.token = args.token
        self.account = args.account
        self.namespace_id = args.namespace
        self.page_size = args.page_size
        self.store = Namespace()
        self.faults = Faults()
        self.stats_lock = threading.Lock()
        self.requests = 0
        self.by_route: dict[str, int] = {}
        self.last_put: dict | None = None

    def count(self, route: str) -> None:
        with self.stats_lock:
            self.requests += 1
            self.by_route[route] = self.by_route.get(route, 0) + 1


def envelope(result=None, errors=None, result_info=None, success=True) -> dict:
    body = {"success": success, "errors": errors or [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return body


def error_body(code: int, message: str) -> dict:
    return envelope(result=None, errors=[{"code": code, "message": message}], success=False)


def encode_cursor(name: str) -> str:
    return base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii")


def decode_cursor(cursor: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):
        return None


def parse_multipart(body: bytes, content_type: str) -> dict[str, bytes] | None:
    """The named parts of a multipart/form-data body; None when it is malformed."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        return None
    delimiter = b"\r\n--" + match.group(1).encode("latin-1")
    sections = (b"\r\n" + body).split(delimiter)
    parts: dict[str, bytes] = {}
    if len(sections) < 2 or sections[0] != b"":
        return None
    for section in sections[1:]:
        if section.startswith(b"--"):
            return parts
        if not section.startswith(b"\r\n"):
            return None
        head, separator, content = section[2:].partition(b"\r\n\r\n")
        if not separator:
            return None
        name = re.search(rb'name="([^"]*)"', head)
        if not name:
            return None
        parts[name.group(1).decode("utf-8", "replace")] = content
    return None  # no closing delimiter


class Handler(BaseHTTPRequestHandler):
    # Without TCP_NODELAY, Linux's delayed ACK adds about 40 ms to every answer.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"  # keep-alive, and `Expect: 100-continue` is answered
    server_version = "fake-cloudflare-kv"
    state: State  # set on the class by main()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        # Silent: request lines are noise in test output and headers must never be logged.
        pass

    # -- plumbing ---------------------------------------------------------------------------

    def send_json(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        self.send_raw(status, data, "application/json", headers)

    def send_raw(self, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout, a refused redirect): nothing to answer to.
            self.close_connection = True

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    # -- verbs ------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def dispatch(self, method: str) -> None:
        body = self.read_body()  # always drained so keep-alive connections stay in sync
        url = urlsplit(self.path)
        if url.path == "/__control" and method == "POST":
            return self.control(body)
        if url.path == "/__stats" and method == "GET":
            return self.stats()
        match = API_PATH.match(url.path)
        if not match:
            return self.send_json(404, error_body(7000, "No route for that URI"))
        account, namespace, resource, raw_key = match.groups()
        route = f"{method} {resource}"
        self.state.count(route)
        fault = self.state.faults.take()
        if fault and self.inject(fault):
            return
        if self.headers.get("Authorization") != f"Bearer {self.state.token}":
            return self.send_json(401, error_body(10000, "Authentication error"))
        if account != self.state.account or namespace != self.state.namespace_id:
            return self.send_json(404, error_body(10013, "namespace not found"))
        query = parse_qs(url.query, keep_blank_values=True)
        if resource == "keys":
            if method != "GET" or raw_key:
                return self.send_json(405, error_body(10405, "method not allowed"))
            return self.list_keys(query)
        try:
            key = unquote_to_bytes(raw_key or "").decode("utf-8")
        except UnicodeDecodeError:
            return self.send_json(400, error_body(10019, "key is not valid UTF-8"))
        if not key or len(key.encode("utf-8")) > MAX_KEY_BYTES or key in (".", ".."):
            return self.send_json(400, error_body(10019, "invalid key name"))
        if resource == "metadata" and method == "GET":
            return self.get_metadata(key)
        if resource == "values" and method == "GET":
            return self.get_value(key)
        if resource == "values" and method == "PUT":
            return self.put_value(key, query, body)
        if resource == "values" and method == "DELETE":
            return self.delete_value(key)
        return self.send_json(405, error_body(10405, "method not allowed"))

    def inject(self, fault) -> bool:
        """Answers with the fault; False when the request should go on normally."""
        mode, retry_after, hang_seconds, echo_auth = fault
        detail = f" (you sent {self.headers.get('Authorization')})" if echo_auth else ""
        headers = {}
        if isinstance(retry_after, str) and retry_after.startswith("http-date:"):
            ahead = float(retry_after.split(":", 1)[1])
            headers["Retry-After"] = email.utils.formatdate(time.time() + ahead, usegmt=True)
        elif retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        if mode == "429":
            self.send_json(429, error_body(10429, "Too many requests" + detail), headers)
        elif mode in ("500", "502", "503"):
            self.send_json(int(mode), error_body(10001, "service temporarily unavailable" + detail), headers)
        elif mode == "401":
            self.send_json(401, error_body(10000, "Authentication error" + detail))
        elif mode == "403":
            self.send_json(403, error_body(10000, "Authentication error" + detail))
        elif mode == "redirect":
            self.send_json(302, error_body(10302, "moved"), {"Location": "http://127.0.0.1:9/elsewhere"})
        elif mode == "hang":
            time.sleep(hang_seconds)
            self.close_connection = True
            return True
        else:
            return False
        return True

    # -- the API ----------------------------------------------------------------------------

    def get_value(self, key: str) -> None:
        with self.state.store.lock:
            entry = self.state.store.live(key)
        if entry is None:
            return self.send_json(404, error_body(10009, "get: 'key not found'"))
        headers = {"Expiration": str(entry[2])} if entry[2] is not None else {}
        self.send_raw(200, entry[0], "application/octet-stream", headers)

    def get_metadata(self, key: str) -> None:
        with self.state.store.lock:
            entry = self.state.store.live(key)
        if entry is None:
            return self.send_json(404, error_body(10009, "get: 'key not found'"))
        self.send_json(200, envelope(result=entry[1]))

    def put_value(self, key: str, query: dict, body: bytes) -> None:
        content_type = self.headers.get("Content-Type") or ""
        metadata = None
        parts: list[str] = []
        if content_type.startswith("multipart/form-data"):
            form = parse_multipart(body, content_type)
            if form is None or "value" not in form:
                return self.send_json(400, error_body(10011, "malformed multipart body"))
            parts = sorted(form)
            value = form["value"]
            if "metadata" in form:
                if len(form["metadata"]) > MAX_METADATA_BYTES:
                    return self.send_json(413, error_body(10023, "metadata too large"))
                try:
                    metadata = json.loads(form["metadata"].decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    return self.send_json(400, error_body(10012, "metadata is not valid JSON"))
        else:
            value = body
        expiration = None
        try:
            if "expiration_ttl" in query:
                ttl = int(query["expiration_ttl"][0])
                if ttl < MIN_TTL:
                    return self.send_json(400, error_body(10033, f"Invalid expiration_ttl of {ttl}. Expiration TTL must be at least {MIN_TTL}."))
                expiration = int(time.time()) + ttl
            elif "expiration" in query:
                expiration = int(query["expiration"][0])
        except ValueError:
            return self.send_json(400, error_body(10033, "expiration must be an integer"))
        with self.state.store.lock:
            self.state.store.entries[key] = (value, metadata, expiration)
        with self.state.stats_lock:
            self.state.last_put = {"contentType": content_type.split(";")[0], "parts": parts,
                                   "expirationTtl": query.get("expiration_ttl", [None])[0]}
        self.send_json(200, envelope(result={}))

    def delete_value(self, key: str) -> None:
        with self.state.store.lock:
            self.state.store.entries.pop(key, None)
        self.send_json(200, envelope(result=None))

    def list_keys(self, query: dict) -> None:
        prefix = query.get("prefix", [""])[0]
        cursor = query.get("cursor", [""])[0]
        try:
            limit = int(query.get("limit", ["1000"])[0])
        except ValueError:
            limit = -1
        if not 10 <= limit <= 1000:
            return self.send_json(400, error_body(10032, "limit must be between 10 and 1000"))
        after = None
        if cursor:
            after = decode_cursor(cursor)
            if after is None:
                return self.send_json(400, error_body(10026, "invalid cursor"))
        page_size = min(limit, self.state.page_size)
        with self.state.store.lock:
            names = sorted(
                (name for name in list(self.state.store.entries)
                 if name.startswith(prefix) and (after is None or name > after) and self.state.store.live(name)),
                key=lambda name: name.encode("utf-8"),
            )
            page = names[:page_size]
            keys = []
            for name in page:
                _, metadata, expiration = self.state.store.entries[name]
                item: dict = {"name": name}
                if expiration is not None:
                    item["expiration"] = expiration
                if metadata is not None:
                    item["metadata"] = metadata
                keys.append(item)
        next_cursor = encode_cursor(page[-1]) if len(names) > page_size else ""
        self.send_json(200, envelope(result=keys, result_info={"count": len(keys), "cursor": next_cursor}))

    # -- test control -----------------------------------------------------------------------

    def control(self, body: bytes) -> None:
        try:
            command = json.loads(body or b"{}")
        except ValueError:
            return self.send_json(400, {"ok": False, "error": "control body is not JSON"})
        faults = self.state.faults
        with faults.lock:
            if "mode" in command:
                faults.mode = str(command["mode"])
                faults.remaining = int(command.get("count", 1))
                faults.retry_after = command.get("retryAfter")
                faults.hang_seconds = float(command.get("hangSeconds", 30))
                faults.echo_auth = bool(command.get("echoAuth", False))
        if "pageSize" in command:
            self.state.page_size = max(1, int(command["pageSize"]))
        seed = command.get("seed")
        if seed:
            with self.state.store.lock:
                for index in range(int(seed["count"])):
                    self.state.store.entries[f"{seed.get('prefix', '')}{index:05d}"] = (f"v{index}".encode(), {"i": index}, None)
        self.send_json(200, {"ok": True})

    def stats(self) -> None:
        with self.state.stats_lock:
            body = {"requests": self.state.requests, "byRoute": dict(self.state.by_route),
                    "faultsServed": self.state.faults.served, "lastPut": self.state.last_put}
        with self.state.store.lock:
            body["keys"] = len(self.state.store.entries)
        self.send_json(200, body)


def main() -> int:
    parser = argparse.ArgumentParser(description="In-memory fake of the Workers KV REST API v4.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default="test-token")
    parser.add_argument("--account", default="test-account")
    parser.add_argument("--namespace", default="test-namespace")
    parser.add_argument("--page-size", type=int, default=1000, help="keys per listing page at most")
    parser.add_argument("--lifetime", type=float, default=120.0, help="seconds before exiting by itself")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches EOF")
    args = parser.parse_args()

    Handler.state = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True  # a hanging handler never keeps the process alive

    def stop(reason: str | None) -> None:
        if reason:  # the lifetime running out means a test forgot to stop us: say so
            print(f"fake_cloudflare_kv: stopping ({reason})", file=sys.stderr, flush=True)
        threading.Thread(target=server.shutdown, daemon=True).start()

    timer = threading.Timer(args.lifetime, stop, args=("lifetime reached",))
    timer.daemon = True
    timer.start()
    if args.watch_stdin:
        def watch() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            stop(None)
        threading.Thread(target=watch, daemon=True).start()

    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
