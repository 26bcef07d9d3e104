#!/usr/bin/env python3
"""Local HTTP targets for the health prober tests, on 127.0.0.1 ephemeral ports only.

Starts one server per behaviour and prints, once every server is listening, a single JSON
line {name: base URL} on stdout:

  healthy    200 to every request
  slow       sleeps --slow-delay seconds, then 200 (past any sensible probe timeout)
  error      500 to every request
  flapping   --flap-every requests answered 200, then as many 500, and so on
  tracked    200 after --tracked-delay-ms; counts requests in flight (GET /__stats for
             {"requests", "inFlight", "maxInFlight"}, GET /__reset to zero the counters)
  endless    200 with a body that never ends (64 KiB writes until the client goes away)
  redirect   302 to the tracked server's /redirected (a prober must not follow it)
  garbage    accepts, writes bytes that are not HTTP, closes
  hang       accepts and never answers
  refused    a port that was bound and then closed: connecting to it is refused

Any path is accepted (the prober asks for <base>/<anything>/health), so one server can
stand for many endpoints. The script stops by itself after --lifetime seconds, or as soon
as its stdin reaches end of file (so a test that dies does not leave it behind).
"""

import argparse
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"


class Counters:
    """Requests seen and in flight on one server, under a lock (handler threads race)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0

    def enter(self):
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.requests

    def leave(self):
        with self.lock:
            self.in_flight -= 1

    def snapshot(self):
        with self.lock:
            return {"requests": self.requests, "inFlight": self.in_flight, "maxInFlight": self.max_in_flight}

    def reset(self):
        with self.lock:
            self.requests = 0
            self.max_in_flight = self.in_flight


def make_handler(behaviour, counters, options):
    """A request handler class answering as `behaviour` says."""

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, so a prober that reuses connections can.
        protocol_version = "HTTP/1.1"
        # The headers and the body leave in separate writes; with Nagle on, the body waits
        # for the client's delayed ACK (40 ms on Linux) and every answer looks 40 ms slow.
        disable_nagle_algorithm = True

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass  # quiet: the tests print their own figures

        def answer(self, status, body):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - the base class's name
            if self.path == "/__stats":
                self.answer(200, json.dumps(counters.snapshot()))
                return
            if self.path == "/__reset":
                counters.reset()
                self.answer(200, "{}")
                return
            number = counters.enter()
            try:
                if behaviour == "healthy":
                    self.answer(200, '{"ok": true}')
                elif behaviour == "error":
                    self.answer(500, '{"ok": false}')
                elif behaviour == "slow":
                    time.sleep(options.slow_delay)
                    self.answer(200, '{"ok": true, "slow": true}')
                elif behaviour == "flapping":
                    healthy = ((number - 1) // options.flap_every) % 2 == 0
                    self.answer(200 if healthy else 500, json.dumps({"ok": healthy, "request": number}))
                elif behaviour == "tracked":
                    time.sleep(options.tracked_delay_ms / 1000.0)
                    self.answer(200, '{"ok": true}')
                elif behaviour == "endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"x" * 65536
                    deadline = time.monotonic() + options.lifetime
                    while time.monotonic() < deadline:
                        self.wfile.write(chunk)
                elif behaviour == "redirect":
                    self.send_response(302)
                    self.send_header("Location", options.redirect_to + "/redirected")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the prober gave up on this request (its timeout): nothing to answer
            finally:
                counters.leave()

    return Handler


class Server(ThreadingHTTPServer):
    """A threaded server with a listen backlog for dozens of simultaneous connects (the
    default of 5 drops SYNs, which shows up as one-second connect delays)."""

    daemon_threads = True
    request_queue_size = 512


def start_http(behaviour, options):
    """Starts a threaded HTTP server for `behaviour`; returns its base URL."""
    counters = Counters()
    server = Server((HOST, 0), make_handler(behaviour, counters, options))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://%s:%d" % (HOST, server.server_address[1])


def start_raw(behaviour):
    """A TCP server that answers with garbage or never answers; returns its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, 0))
    listener.listen(128)
    held = []  # hung connections stay open (and referenced) until the script ends

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            if behaviour == "garbage":
                try:
                    connection.recv(4096)
                    connection.sendall(b"\x00\x01 this is not HTTP \xff\xfe\r\n\r\n")
                except OSError:
                    pass
                connection.close()
            else:
                held.append(connection)

    threading.Thread(target=serve, daemon=True).start()
    return "http://%s:%d" % (HOST, listener.getsockname()[1])


def refused_url():
    """A URL whose port was just bound and released, so connecting to it is refused."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind((HOST, 0))
    port = probe.getsockname()[1]
    probe.close()
    return "http://%s:%d" % (HOST, port)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifetime", type=float, default=120.0, help="seconds before the script stops by itself")
    parser.add_argument("--slow-delay", type=float, default=10.0, help="seconds the slow server sleeps")
    parser.add_argument("--flap-every", type=int, default=1, help="requests per 200/500 phase of the flapping server")
    parser.add_argument("--tracked-delay-ms", type=float, default=50.0, help="milliseconds the tracked server waits")
    options = parser.parse_args()
    if options.flap_every < 1:
        parser.error("--flap-every must be at least 1")

    urls = {name: start_http(name, options) for name in ("healthy", "slow", "error", "flapping", "tracked", "endless")}
    options.redirect_to = urls["tracked"]
    urls["redirect"] = start_http("redirect", options)
    urls["garbage"] = start_raw("garbage")
    urls["hang"] = start_raw("hang")
    urls["refused"] = refused_url()
    print(json.dumps(urls, sort_keys=True), flush=True)

    # Stop on end of stdin (the parent went away) or at the end of the lifetime.
    stdin_closed = threading.Event()

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(1024):
                pass
        except (OSError, ValueError):
            pass
        stdin_closed.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stdin_closed.wait(timeout=options.lifetime)


if __name__ == "__main__":
    main()
