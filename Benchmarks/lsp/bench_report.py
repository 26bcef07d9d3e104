"""The benchmark's printed table, the ratios to the peers and the goals of issue 5."""

from __future__ import annotations

import math

from bench_session import Figures, median, p95
from bench_servers import OURS

# Issue 5's goals for our server.
GOALS = [
    ("edit -> diagnostics p95", lambda f: p95(f.edit_ms), 30.0, "ms"),
    ("initialize -> first diagnostics", lambda f: f.first_diagnostics_ms, 100.0, "ms"),
    ("completion p95", lambda f: p95(f.completion_ms), 5.0, "ms"),
    ("RSS after open", lambda f: f.rss_after_open_mb, 60.0, "MiB"),
]
# "At least 5x faster than the faster peer" per edit.
PEER_FACTOR_GOAL = 5.0


def _ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def _pair(samples: list[float]) -> str:
    return f"{_ms(median(samples))} / {_ms(p95(samples))}" if samples else "-"


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _ratio(peer: float, ours: float) -> str:
    if math.isnan(peer) or math.isnan(ours) or ours <= 0:
        return "-"
    return f"{peer / ours:,.1f}x"


def table(results: list[Figures]) -> str:
    rows = [
        ("document", lambda f: f"{f.document} ({f.document_bytes / 1e6:.2f} MB)"),
        ("text sync / diagnostics", lambda f: f"{f.sync_kind} / {f.diagnostics_mode.split()[0]}" if f.sync_kind else "-"),
        ("initialize answered, ms", lambda f: _ms(f.initialize_ms)),
        ("initialize -> first diagnostics, ms", lambda f: _ms(f.first_diagnostics_ms)),
        ("findings on the valid config", lambda f: str(f.first_diagnostics_count)),
        ("edit -> diagnostics, median / p95 ms", lambda f: f"{_pair(f.edit_ms)} (n={len(f.edit_ms)})"),
        ("edit -> pull answer, median / p95 ms", lambda f: _pair(f.edit_pull_ms)),
        ("completion, median / p95 ms", lambda f: f"{_pair(f.completion_ms)} ({f.completion_items} items)" if f.completion_ms else "-"),
        ("completion item resolve, median / p95 ms", lambda f: _pair(f.resolve_ms) if f.resolve_ms else "-"),
        ("hover on a key, median / p95 ms", lambda f: f"{_pair(f.hover_ms)} ({'answered' if f.hover_answered else 'null'})" if f.hover_ms else "-"),
        ("RSS / peak (VmHWM) after open, MiB", lambda f: f"{f.rss_after_open_mb:.0f} / {f.hwm_after_open_mb:.0f}" if not math.isnan(f.rss_after_open_mb) else "-"),
        ("RSS after the edits, MiB", lambda f: f"{f.rss_after_edits_mb:.0f}" if not math.isnan(f.rss_after_edits_mb) else "-"),
        ("RSS / peak at the end, MiB", lambda f: f"{f.rss_end_mb:.0f} / {f.hwm_end_mb:.0f}" if not math.isnan(f.rss_end_mb) else "-"),
        ("reports a schema violation", lambda f: _yes_no(f.schema_violation_reported)),
        ("reports an unknown service reference", lambda f: _yes_no(f.unknown_service_reported)),
    ]
    header = ["figure"] + [f.server for f in results]
    lines = [header] + [[name] + [render(f) for f in results] for name, render in rows]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]

    def render_line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    out = [render_line(lines[0]), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out += [render_line(line) for line in lines[1:]]
    return "\n".join(out)


def ratios(results: list[Figures]) -> str:
    """How many times longer each peer takes than our server (higher is better for us)."""
    ours = next((f for f in results if f.server == OURS and not f.error), None)
    peers = [f for f in results if f.server != OURS and f.edit_ms]
    if ours is None or not peers:
        return "ratios: need our server and at least one peer with figures"
    lines = ["ratios, peer time / our time (memory: peer / ours):"]
    for peer in peers:
        # A peer that offers nothing at a service reference has nothing to compare.
        completion = (_ratio(median(peer.completion_ms), median(ours.completion_ms)) if peer.completion_items
                      else "- (the peer offers no items there)")
        lines.append(
            f"  {peer.server}: first diagnostics {_ratio(peer.first_diagnostics_ms, ours.first_diagnostics_ms)}, "
            f"edit median {_ratio(median(peer.edit_ms), median(ours.edit_ms))}, "
            f"edit p95 {_ratio(p95(peer.edit_ms), p95(ours.edit_ms))}, "
            f"completion median {completion}, "
            f"hover median {_ratio(median(peer.hover_ms), median(ours.hover_ms))}, "
            f"RSS {_ratio(peer.rss_after_open_mb, ours.rss_after_open_mb)}")
    faster = min(peers, key=lambda f: median(f.edit_ms))
    factor_median = median(faster.edit_ms) / median(ours.edit_ms)
    factor_p95 = p95(faster.edit_ms) / p95(ours.edit_ms)
    verdict = "met" if min(factor_median, factor_p95) >= PEER_FACTOR_GOAL else "MISSED"
    lines.append(f"  faster peer per edit: {faster.server}; ours is {factor_median:,.1f}x faster (median), "
                 f"{factor_p95:,.1f}x (p95); goal >= {PEER_FACTOR_GOAL:.0f}x: {verdict}")
    return "\n".join(lines)


def goals(results: list[Figures]) -> tuple[str, bool]:
    """The goal lines and whether every goal was met."""
    ours = next((f for f in results if f.server == OURS), None)
    if ours is None or ours.error:
        return "goals: our server has no figures", False
    lines = ["goals (issue 5):"]
    met_all = True
    for name, value_of, limit, unit in GOALS:
        value = value_of(ours)
        met = not math.isnan(value) and value < limit
        met_all &= met
        lines.append(f"  {name}: {value:.1f} {unit} (goal < {limit:g} {unit}): {'met' if met else 'MISSED'}")
    return "\n".join(lines), met_all
