"""Runs one language server through the benchmark's session and collects its figures.

The session is what an editor does: initialize (UTF-16 positions, push and pull diagnostics
offered as the server wants them), send the settings, open the document, then type one
character at a time and wait each time for the diagnostics of the new version, then ask
for completions and hovers. Every latency is from the moment the client starts writing the
message to the moment the last byte of the answer arrives.
"""

from __future__ import annotations

import math
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsp_client import LspClient, Received
from bench_servers import ServerProfile

PUBLISH = "textDocument/publishDiagnostics"


@dataclass
class Options:
    edits: int = 200
    requests: int = 100
    first_timeout: float = 180.0
    step_timeout: float = 60.0
    trace: bool = False


@dataclass
class Figures:
    """What one server measured; latencies in milliseconds, memory in MiB."""

    server: str
    description: str
    document: str
    document_bytes: int
    diagnostics_mode: str = ""
    sync_kind: str = ""
    position_encoding: str = ""
    initialize_ms: float = math.nan
    first_diagnostics_ms: float = math.nan
    first_diagnostics_count: int = 0
    edit_ms: list[float] = field(default_factory=list)
    edit_pull_ms: list[float] = field(default_factory=list)
    completion_ms: list[float] = field(default_factory=list)
    completion_items: int = 0
    resolve_ms: list[float] = field(default_factory=list)
    hover_ms: list[float] = field(default_factory=list)
    hover_answered: bool = False
    rss_after_open_mb: float = math.nan
    hwm_after_open_mb: float = math.nan
    rss_after_edits_mb: float = math.nan
    rss_end_mb: float = math.nan
    hwm_end_mb: float = math.nan
    schema_violation_reported: bool | None = None
    unknown_service_reported: bool | None = None
    server_requests: list[str] = field(default_factory=list)
    error: str = ""

    def json(self) -> dict[str, Any]:
        """Every figure; the latency samples as median, p95 and count."""
        summary: dict[str, Any] = {}
        for name, value in vars(self).items():
            if isinstance(value, list) and name.endswith("_ms"):
                value = {"median": _finite(median(value)), "p95": _finite(p95(value)), "count": len(value)}
            summary[name] = _finite(value)
        return summary


def _finite(value: Any) -> Any:
    """NaN (a figure not measured) as JSON null."""
    return None if isinstance(value, float) and math.isnan(value) else value


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else math.nan


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of `pid` in MiB, from /proc."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", math.nan), values.get("VmHWM", math.nan)


def client_capabilities(pull: bool) -> dict[str, Any]:
    text_document: dict[str, Any] = {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                               "tagSupport": {"valueSet": [1, 2]}, "codeDescriptionSupport": True},
        # What VS Code declares: documentation is resolved when an item is shown.
        "completion": {"completionItem": {"snippetSupport": True,
                                          "documentationFormat": ["markdown", "plaintext"],
                                          "resolveSupport": {"properties": ["documentation", "detail",
                                                                            "additionalTextEdits"]}},
                       "completionList": {"itemDefaults": ["commitCharacters", "editRange", "insertTextFormat",
                                                           "insertTextMode", "data"]},
                       "contextSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    }
    if pull:
        text_document["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": text_document,
        "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False},
                      "workspaceFolders": True},
        "window": {"workDoneProgress": False},
    }


def _sync_kind(capabilities: dict[str, Any]) -> int:
    sync = capabilities.get("textDocumentSync", 0)
    return sync.get("change", 0) if isinstance(sync, dict) else int(sync or 0)


class Session:
    """One server, one document, the benchmark's steps."""

    def __init__(self, profile: ServerProfile, work: Path, options: Options):
        self.profile = profile
        self.options = options
        self.document = profile.document
        self.version = 1
        self.figures = Figures(profile.name, profile.description, profile.document.path.name, profile.document.size)
        env = dict(os.environ, NO_COLOR="1")
        self.client = LspClient(profile.command, cwd=work, stderr_path=work / f"{profile.name}.stderr.log",
                                answer_server_request=profile.answer, env=env,
                                trace_path=work / f"{profile.name}.trace.log" if options.trace else None)
        self.pull = False
        self.incremental = False
        self.versioned_publish = False

    # Diagnostics, pushed or pulled

    def _is_publish_for(self, version: int | None):
        uri = self.document.uri

        def matches(message: dict[str, Any]) -> bool:
            if message.get("method") != PUBLISH or message["params"].get("uri") != uri:
                return False
            published = message["params"].get("version")
            if published is not None:
                self.versioned_publish = True
                return version is None or published == version
            return True
        return matches

    def _diagnostics_after(self, sent_ns: int, version: int) -> tuple[float, list[Any]]:
        """Waits for this version's diagnostics; returns (ms since `sent_ns`, the diagnostics)."""
        if self.pull:
            request_id, _ = self.client.request("textDocument/diagnostic", {"textDocument": {"uri": self.document.uri}})
            answer = self.client.wait_for_response(request_id, self.options.step_timeout)
            return (answer.at_ns - sent_ns) / 1e6, answer.message["result"].get("items", [])
        received = self.client.wait_for(self._is_publish_for(version), self.options.step_timeout)
        return (received.at_ns - sent_ns) / 1e6, received.message["params"]["diagnostics"]

    # Steps

    def initialize_and_open(self) -> None:
        profile = self.profile
        # The 1 MB didOpen is encoded before the clock starts: the client's JSON encoding
        # is no part of the server's time.
        open_params = {"textDocument": {"uri": self.document.uri, "languageId": self.document.language_id,
                                        "version": self.version, "text": self.document.text}}
        open_message = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": open_params}
        open_frame = LspClient.encode(open_message)
        request_id, started = self.client.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "diddy-mesh-lsp-bench"},
            "rootUri": self.document.path.parent.resolve().as_uri(),
            "workspaceFolders": [{"uri": self.document.path.parent.resolve().as_uri(), "name": "bench"}],
            "capabilities": client_capabilities(pull=profile.diagnostics_mode == "pull"),
            "initializationOptions": profile.initialization_options,
        })
        answer = self.client.wait_for_response(request_id, self.options.first_timeout)
        self.figures.initialize_ms = (answer.at_ns - started) / 1e6
        capabilities = answer.message["result"].get("capabilities", {})
        self.figures.position_encoding = capabilities.get("positionEncoding", "utf-16 (default)")
        self.incremental = _sync_kind(capabilities) == 2
        self.figures.sync_kind = "incremental" if self.incremental else "full"
        self.pull = profile.diagnostics_mode == "pull"
        self.figures.diagnostics_mode = "pull (textDocument/diagnostic)" if self.pull else "push (publishDiagnostics)"
        self.client.notify("initialized", {})
        for method, params in profile.settings_notifications:
            self.client.notify(method, params)
        self.client.send_encoded(open_frame, open_message)
        elapsed, diagnostics = self._diagnostics_after(started, self.version)
        self.figures.first_diagnostics_ms = elapsed
        self.figures.first_diagnostics_count = len(diagnostics)
        self.figures.rss_after_open_mb, self.figures.hwm_after_open_mb = memory_mb(self.client.pid)

    def _change(self, toggled_on: bool) -> int:
        self.version += 1
        if self.incremental:
            start = self.document.edit_at.json()
            end = {"line": start["line"], "character": start["character"] + 1}
            change = {"range": {"start": start, "end": end}, "text": self.document.edited_character(toggled_on)}
        else:
            change = {"text": self.document.toggled(toggled_on)}
        return self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.document.uri, "version": self.version}, "contentChanges": [change]})

    def edits(self) -> None:
        """Single-character edits, each waited on: the digit toggles, so every other
        version is the generated text again and every version is valid."""
        for index in range(self.options.edits):
            self.client.drain()
            sent = self._change(toggled_on=index % 2 == 0)
            elapsed, _ = self._diagnostics_after(sent, self.version)
            self.figures.edit_ms.append(elapsed)
        self.figures.rss_after_edits_mb, _ = memory_mb(self.client.pid)

    def pull_after_edits(self, count: int) -> None:
        """For a push server that also answers pulls: edit -> pull answer. A pull is
        analysed when asked, so the difference to the push figure is whatever the server
        waits before pushing (a debounce or throttle)."""
        for index in range(count):
            self.client.drain()
            sent = self._change(toggled_on=index % 2 == 0)
            request_id, _ = self.client.request("textDocument/diagnostic", {"textDocument": {"uri": self.document.uri}})
            # The push of this version may come before or after the answer;
            # both are waited for so that neither spills into the next edit.
            is_publish = self._is_publish_for(self.version)
            answered = published = False
            while not (answered and published):
                received = self.client.wait_for(
                    lambda m: m.get("id") == request_id and "method" not in m or is_publish(m), self.options.step_timeout)
                if received.message.get("id") == request_id:
                    if "error" in received.message:
                        raise RuntimeError(f"pull diagnostics failed: {received.message['error']}")
                    answered = True
                    self.figures.edit_pull_ms.append((received.at_ns - sent) / 1e6)
                else:
                    published = True

    def _timed_requests(self, method: str, position: dict[str, int], extra: dict[str, Any]) -> tuple[list[float], Received]:
        times: list[float] = []
        last = None
        for _ in range(self.options.requests):
            request_id, sent = self.client.request(method, {
                "textDocument": {"uri": self.document.uri}, "position": position, **extra})
            last = self.client.wait_for_response(request_id, self.options.step_timeout)
            times.append((last.at_ns - sent) / 1e6)
        assert last is not None
        return times, last

    def _timed_resolves(self, item: dict[str, Any]) -> list[float]:
        times = []
        for _ in range(self.options.requests):
            request_id, sent = self.client.request("completionItem/resolve", item)
            answer = self.client.wait_for_response(request_id, self.options.step_timeout)
            times.append((answer.at_ns - sent) / 1e6)
            assert "documentation" in (answer.message.get("result") or {}), answer.message
        return times

    def completions_and_hovers(self) -> None:
        self.client.drain()
        times, last = self._timed_requests("textDocument/completion", self.document.completion_at.json(),
                                           {"context": {"triggerKind": 1}})
        self.figures.completion_ms = times
        result = last.message.get("result")
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        self.figures.completion_items = len(items)
        # A client that resolves documentation lazily asks for the item it shows, once the
        # list is up; that answer is part of what the user waits for.
        defaults = result.get("itemDefaults", {}) if isinstance(result, dict) else {}
        # As a client does, items take the list's defaults before they are resolved.
        applied = [{**({"data": defaults["data"]} if "data" in defaults else {}), **item}
                   for item in items if isinstance(item, dict)]
        lazy = [item for item in applied if "documentation" not in item and "data" in item]
        if lazy:
            self.figures.resolve_ms = self._timed_resolves(lazy[0])
        times, last = self._timed_requests("textDocument/hover", self.document.hover_at.json(), {})
        self.figures.hover_ms = times
        self.figures.hover_answered = bool(last.message.get("result"))

    def _findings_for(self, text: str) -> int:
        self.client.drain()
        self.version += 1
        sent = self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.document.uri, "version": self.version}, "contentChanges": [{"text": text}]})
        _, diagnostics = self._diagnostics_after(sent, self.version)
        return len(diagnostics)

    def what_it_checks(self) -> None:
        """Whether the server reports a schema violation (a string timeout) and a rule
        routing to a service that does not exist, compared with the valid text."""
        baseline = self._findings_for(self.document.text)
        self.figures.schema_violation_reported = self._findings_for(self.document.bad_type_text) > baseline
        self.figures.unknown_service_reported = self._findings_for(self.document.unknown_service_text) > baseline
        self._findings_for(self.document.text)

    def finish(self) -> None:
        try:
            self.figures.rss_end_mb, self.figures.hwm_end_mb = memory_mb(self.client.pid)
        except OSError:
            pass
        self.figures.server_requests = sorted(set(self.client.server_requests))
        self.client.shut_down()


def run(profile: ServerProfile, work: Path, options: Options, pull_samples: int = 0) -> Figures:
    """The whole session for one server; an error ends it and is kept in the figures."""
    session = Session(profile, work, options)
    try:
        session.initialize_and_open()
        session.edits()
        if pull_samples:
            session.pull_after_edits(pull_samples)
        session.completions_and_hovers()
        session.what_it_checks()
    except Exception as error:  # noqa: BLE001 - a failing peer must not end the benchmark
        session.figures.error = f"{type(error).__name__}: {error}"
    finally:
        session.finish()
    return session.figures
