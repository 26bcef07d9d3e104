"""A minimal LSP client over a child process's stdio: JSON-RPC with Content-Length framing.

A reader thread takes every message off the server's stdout, stamps it with the time its
last byte was read (before it is parsed, so Python's JSON decoding of a large answer does
not count against the server), answers the server's own requests at once (configuration,
registrations, progress tokens) and queues the rest for the benchmark to wait on.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


class ServerGone(RuntimeError):
    """The server exited or closed its stdout while the benchmark waited on it."""


@dataclass
class Received:
    """One message from the server and when its last byte arrived (perf_counter_ns)."""

    at_ns: int
    message: dict[str, Any]


# Answers a server-to-client request: (method, params) -> result.
ServerRequestHandler = Callable[[str, Any], Any]


class LspClient:
    """Speaks LSP to one server process."""

    def __init__(self, command: list[str], cwd: Path, stderr_path: Path,
                 answer_server_request: ServerRequestHandler, env: dict[str, str] | None = None,
                 trace_path: Path | None = None):
        self._stderr = open(stderr_path, "wb")
        # One line per message (time, direction, method or id, bytes), for checking what a
        # server sends per edit; off unless asked for.
        self._trace = open(trace_path, "w", encoding="utf-8") if trace_path else None
        self._trace_lock = threading.Lock()
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._stderr, env=env, bufsize=0)
        self._answer = answer_server_request
        self._write_lock = threading.Lock()
        self._inbox: queue.Queue[Received | None] = queue.Queue()
        self._next_id = 0
        self.server_requests: list[str] = []
        self._reader = threading.Thread(target=self._read_loop, name="lsp-reader", daemon=True)
        self._reader.start()

    def _log(self, at_ns: int, direction: str, message: dict[str, Any], size: int, first_byte_ns: int = 0) -> None:
        if self._trace is None:
            return
        what = message.get("method") or f"response {message.get('id')}"
        params = message.get("params")
        version = params.get("version") if isinstance(params, dict) else None
        if version is None and isinstance(params, dict) and isinstance(params.get("textDocument"), dict):
            version = params["textDocument"].get("version")
        uri = params.get("uri") or (params.get("textDocument") or {}).get("uri") if isinstance(params, dict) else None
        where = f" {uri.rsplit('/', 1)[-1]}" if isinstance(uri, str) else ""
        with self._trace_lock:
            transfer = f" transfer_ms={(at_ns - first_byte_ns) / 1e6:.3f}" if first_byte_ns else ""
            self._trace.write(f"{at_ns / 1e6:.3f} {direction} {what}{where} version={version} bytes={size}{transfer}\n")

    @property
    def pid(self) -> int:
        return self.process.pid

    # Sending

    @staticmethod
    def encode(message: dict[str, Any]) -> bytes:
        """The framed bytes of `message`, so that a large one can be encoded before a clock starts."""
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def send_encoded(self, frame: bytes, message: dict[str, Any]) -> int:
        """Writes a frame made by `encode(message)`; returns its send time."""
        return self._write(message, frame)

    def _write(self, message: dict[str, Any], frame: bytes | None = None) -> int:
        """Writes one framed message; returns the time just before its first byte went out."""
        frame = frame if frame is not None else self.encode(message)
        body_size = len(frame) - frame.index(b"\r\n\r\n") - 4
        with self._write_lock:
            sent_at = time.perf_counter_ns()
            stdin = self.process.stdin
            if stdin is None:
                raise ServerGone("the server's stdin is closed")
            try:
                stdin.write(frame)
                stdin.flush()
                self._log(sent_at, "->", message, body_size)
            except (BrokenPipeError, ValueError) as error:
                raise ServerGone(f"the server closed its stdin: {error}") from error
        return sent_at

    def request(self, method: str, params: Any) -> tuple[int, int]:
        """Sends a request; returns (id, send time)."""
        self._next_id += 1
        request_id = self._next_id
        sent_at = self._write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return request_id, sent_at

    def notify(self, method: str, params: Any) -> int:
        """Sends a notification; returns its send time."""
        return self._write({"jsonrpc": "2.0", "method": method, "params": params})

    # Receiving

    def wait_for(self, matches: Callable[[dict[str, Any]], bool], timeout: float) -> Received:
        """The first queued message that `matches`; messages that do not match are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching message within {timeout:.1f} s")
            try:
                item = self._inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if item is None:
                raise ServerGone(f"the server ended (exit status {self.process.poll()})")
            if matches(item.message):
                return item

    def wait_for_response(self, request_id: int, timeout: float) -> Received:
        """The answer to request `request_id`; raises on an error answer."""
        received = self.wait_for(lambda m: m.get("id") == request_id and "method" not in m, timeout)
        if "error" in received.message:
            raise RuntimeError(f"request {request_id} failed: {received.message['error']}")
        return received

    def drain(self) -> None:
        """Drops every message received so far."""
        while True:
            try:
                if self._inbox.get_nowait() is None:
                    self._inbox.put(None)
                    return
            except queue.Empty:
                return

    def _read_loop(self) -> None:
        stdout = self.process.stdout
        try:
            while stdout is not None:
                length = None
                first_byte_ns = 0
                while True:
                    line = stdout.readline()
                    if not line:
                        return
                    first_byte_ns = first_byte_ns or time.perf_counter_ns()
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                body = bytearray()
                while len(body) < length:
                    chunk = stdout.read(length - len(body))
                    if not chunk:
                        return
                    body += chunk
                at_ns = time.perf_counter_ns()
                message = json.loads(body)
                self._log(at_ns, "<-", message, length, first_byte_ns)
                if "method" in message and "id" in message:
                    self._answer_request(message)
                else:
                    self._inbox.put(Received(at_ns, message))
        finally:
            self._inbox.put(None)

    def _answer_request(self, message: dict[str, Any]) -> None:
        method = message["method"]
        self.server_requests.append(method)
        try:
            result = self._answer(method, message.get("params"))
            reply: dict[str, Any] = {"jsonrpc": "2.0", "id": message["id"], "result": result}
        except LookupError as error:
            reply = {"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": str(error)}}
        try:
            self._write(reply)
        except ServerGone:
            pass

    # Ending

    def shut_down(self, timeout: float = 10.0) -> int | None:
        """`shutdown` then `exit`; kills the process if it does not end in `timeout`."""
        try:
            request_id, _ = self.request("shutdown", None)
            self.wait_for(lambda m: m.get("id") == request_id, timeout)
            self.notify("exit", None)
        except (ServerGone, TimeoutError, RuntimeError):
            pass
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        if self.process.stdin:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        self._stderr.close()
        if self._trace is not None:
            self._trace.close()
        return status
