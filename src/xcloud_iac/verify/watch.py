"""`xcloud verify --watch`: check again and again, report only what changed, stop cleanly on SIGINT/SIGTERM.

The loop is driven by injectable pieces (the check, the wait, the clock, an iteration limit), so tests run it
without sleeping; `stop_on_signals` turns SIGINT/SIGTERM into setting an Event the wait returns on.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ..checks import Finding, Report
from ..checks.render import RENDERERS

FindingKey = tuple[str, str, str]


@dataclass(frozen=True)
class Change:
    iteration: int
    at: datetime
    new: list[Finding]
    resolved: list[Finding]
    report: Report


def key(finding: Finding) -> FindingKey:
    """What makes a finding the same one in the next round (locations and hints may move with the spec)."""
    return (finding.rule, finding.path, finding.message)


def watch(
    check: Callable[[], Report],
    interval: float,
    emit: Callable[[Change], None],
    *,
    stop: threading.Event,
    wait: Callable[[float], object] | None = None,
    iterations: int | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Report | None:
    """Run `check` every `interval` seconds until `stop` is set (or `iterations` ran); emit the first report whole
    and afterwards only new and resolved findings. Returns the last report."""
    wait = wait or stop.wait
    previous: dict[FindingKey, Finding] = {}
    last: Report | None = None
    iteration = 0
    while not stop.is_set():
        iteration += 1
        last = check()
        current = {key(f): f for f in last.findings}
        new = [f for k, f in current.items() if k not in previous]
        resolved = [f for k, f in previous.items() if k not in current]
        if iteration == 1 or new or resolved:
            emit(Change(iteration, clock(), new, resolved, last))
        previous = current
        if last.unusable or (iterations is not None and iteration >= iterations):
            break  # an unusable spec does not get better by waiting
        wait(interval)
    return last


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """SIGINT and SIGTERM set `stop` (the round in progress finishes); the previous handlers come back after."""
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in handled}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def render_change(change: Change, fmt: str) -> str:
    """One round's changes: text lines (+ new, - resolved), one JSON object per line, or GitHub annotations."""
    stamp = change.at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "json":
        return json.dumps({
            "iteration": change.iteration, "time": stamp,
            "new": [f.to_dict() for f in change.new], "resolved": [f.to_dict() for f in change.resolved],
        }) + "\n"
    if fmt == "github":
        return RENDERERS["github"](change.new)
    lines = [f"[{stamp}] round {change.iteration}: {len(change.new)} new, {len(change.resolved)} resolved"]
    lines += [f"+ {_line(f)}" for f in change.new]
    lines += [f"- {_line(f)}" for f in change.resolved]
    return "\n".join(lines) + "\n"


def _line(f: Finding) -> str:
    where = f"{f.location}: " if f.location else ""
    return f"{where}{f.severity.value} {f.rule} {f.message} [{f.path}]"
