"""Plans in worker processes.

Each plan runs deploy() under Pulumi mocks in a fresh Python process (`python -m xcloud_iac.plan.runner`), so the
Pulumi SDK's global settings, root stack and event loop never touch the caller (a CLI run, a test session, a
notebook), and the plans of a diff run side by side. A plain subprocess rather than multiprocessing: spawn re-runs
the caller's `__main__` in the child, which breaks callers without a main guard.

Protocol: the job goes to the worker's stdin as JSON (a PlanJob's fields); the worker writes JSON lines to stdout -
`{"progress": n}` while it runs, then one of `{"done": inventory}` (secrets already masked), `{"refused": [reasons]}`
or `{"error": traceback}`. Anything else the worker prints goes to its stderr, which is kept for error reports.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from ..checks import Finding, Report, check
from ..spec import Problem, SpecError, Stack, load_text
from .inventory import Inventory, PlanRefused, Resource, plan_stack
from .sources import SpecSource

DEFAULT_TIMEOUT = 600.0  # seconds for all the plans of one command


@dataclass(frozen=True)
class PlanJob:
    label: str
    """What progress and errors call the plan (e.g. `stacks/dr-pair.yaml`, `origin/main:stacks/dr-pair.yaml`)."""
    text: str
    """The spec's YAML."""
    file: str
    """The file name locations in the spec refer to."""
    past_errors: bool = False
    """Plan as if the error findings were waived (see inventory.plan_stack)."""


@dataclass
class PlanOutcome:
    inventory: Inventory | None = None
    refused: list[str] | None = None
    """deploy() registered nothing; these are the reasons."""
    error: str | None = None
    """The worker failed (a bug, a crash, a timeout)."""


@dataclass
class Checked:
    """A spec loaded and checked, as deploy() would before registering anything."""

    source: SpecSource
    stack: Stack | None = None
    report: Report | None = None
    problems: list[Problem] = field(default_factory=list)
    """Why the spec cannot be loaded at all."""

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings if self.report else []

    @property
    def unusable(self) -> bool:
        """Unusable input: it does not load, or a reference is dangling or a name repeated (XC101, XC102)."""
        return bool(self.problems) or bool(self.report and self.report.unusable)

    @property
    def plannable(self) -> bool:
        """deploy() would get as far as registering resources: no error finding."""
        return self.report is not None and not self.report.unusable and not self.report.errors

    def job(self, *, past_errors: bool = False) -> PlanJob:
        return PlanJob(self.source.label, self.source.text, self.source.file, past_errors)


def check_source(source: SpecSource) -> Checked:
    try:
        stack = load_text(source.text, source.file)
    except SpecError as exc:
        return Checked(source, problems=sorted(exc.problems, key=Problem.sort_key))
    return Checked(source, stack, check(stack))


@dataclass
class PlanResult:
    """`xcloud plan` of one spec: the inventory, or why there is none."""

    checked: Checked
    inventory: Inventory | None = None
    refused: list[str] = field(default_factory=list)
    """Why deploy() would register nothing: component arguments it rejects (error findings are in `checked`)."""
    error: str | None = None

    @property
    def status(self) -> str:
        if self.checked.unusable or self.error:
            return "unusable"
        return "planned" if self.inventory is not None else "refused"


def plan_source(source: SpecSource, *, progress: bool = False) -> PlanResult:
    """Check a spec, then plan it in a worker unless deploy() would refuse it."""
    checked = check_source(source)
    if not checked.plannable:
        return PlanResult(checked)
    outcome = run_plans([checked.job()], progress=progress)[0]
    return PlanResult(checked, outcome.inventory, outcome.refused or [], outcome.error)


def run_plans(jobs: list[PlanJob], *, progress: bool = False, timeout: float = DEFAULT_TIMEOUT) -> list[PlanOutcome]:
    """Plan every job, each in its own worker process, in parallel. `progress` shows a live count of registered
    resources on stderr. Outcomes are in the order of `jobs`."""
    messages: queue.Queue[tuple[int, dict[str, Any] | None]] = queue.Queue()
    workers = [_Worker(i, job, messages) for i, job in enumerate(jobs)]
    outcomes: dict[int, PlanOutcome] = {}
    deadline = time.monotonic() + timeout
    with _Progress(progress) as show:
        for worker in workers:
            show.add(worker.index, worker.job.label)
        while len(outcomes) < len(workers):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                index, message = messages.get(timeout=min(left, 0.25))
            except queue.Empty:
                continue
            if index in outcomes:
                continue
            if message is None:  # the worker's stdout closed before it sent a result
                outcomes[index] = PlanOutcome(error=workers[index].failure())
            elif "progress" in message:
                show.update(index, message["progress"])
            else:
                outcomes[index] = _outcome(message)
    for worker in workers:
        if worker.index not in outcomes:
            outcomes[worker.index] = PlanOutcome(error=f"planning {worker.job.label} took longer than {timeout:.0f} s")
        worker.close()
    return [outcomes[i] for i in range(len(workers))]


def _outcome(message: dict[str, Any]) -> PlanOutcome:
    if "done" in message:
        done = message["done"]
        return PlanOutcome(inventory=Inventory(done["stack"], [Resource.from_wire(r) for r in done["resources"]]))
    if "refused" in message:
        return PlanOutcome(refused=list(message["refused"]))
    return PlanOutcome(error=str(message.get("error", message)))


class _Worker:
    """One worker process and the thread that reads its messages into the shared queue."""

    def __init__(self, index: int, job: PlanJob, messages: queue.Queue) -> None:
        self.index, self.job = index, job
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker; close() closes it
        package_root = str(Path(__file__).resolve().parents[2])  # so the worker imports this very package
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "xcloud_iac.plan.runner"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env,
        )
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(job.__dict__).encode())
        self.process.stdin.close()
        self.reader = threading.Thread(target=self._read, args=(messages,), daemon=True)
        self.reader.start()

    def _read(self, messages: queue.Queue) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                messages.put((self.index, json.loads(line)))
            except ValueError:
                continue
        messages.put((self.index, None))

    def failure(self) -> str:
        code = self.process.wait()
        self.stderr.seek(0)
        tail = self.stderr.read().decode(errors="replace").strip().splitlines()[-20:]
        return "\n".join([f"the plan worker for {self.job.label} stopped (exit code {code})", *tail])

    def close(self) -> None:
        if self.process.poll() is None:  # timed out or hung: ends only our own worker, by its handle
            self.process.kill()
        self.process.wait()
        self.reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.stderr.close()


class _Progress:
    """A rich progress display on stderr (one line per plan), or nothing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tasks: dict[int, Any] = {}

    def __enter__(self) -> Self:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                SpinnerColumn(), TextColumn("planning {task.description}"),
                TextColumn("[bold]{task.completed}[/] resources registered"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self.bar.__enter__()
        return self

    def add(self, index: int, label: str) -> None:
        if self.enabled:
            from rich.markup import escape

            self.tasks[index] = self.bar.add_task(escape(label), total=None)  # a file name is not markup

    def update(self, index: int, count: int) -> None:
        if self.enabled:
            self.bar.update(self.tasks[index], completed=count)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.__exit__(None, None, None)


# ---------------------------------------------------------------- the worker side


def _work() -> int:
    # A worker plans once and exits without teardown: the cyclic collector would only walk objects that die with
    # the process (plan_stack pauses it too; this keeps it off while the inventory is sent).
    gc.disable()
    # The protocol owns the real stdout; anything else printed (by Pulumi, a provider SDK, a warning) goes to stderr.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")

    try:
        job = PlanJob(**json.loads(sys.stdin.read()))
        last = 0.0

        def tick(count: int) -> None:
            nonlocal last
            if time.monotonic() - last >= 0.1:
                send({"progress": count})
                last = time.monotonic()

        try:
            inventory = plan_stack(load_text(job.text, job.file), tick, past_errors=job.past_errors)
        except SpecError as exc:
            send({"refused": [str(p) for p in exc.problems]})
        except PlanRefused as refused:
            send({"refused": refused.problems})
        else:
            send({"done": {"stack": inventory.stack, "resources": [r.to_wire() for r in inventory.resources]}})
    except BaseException:  # whatever it is, the parent reports it instead of waiting
        send({"error": traceback.format_exc()})
        return 1
    finally:
        channel.close()
    return 0


if __name__ == "__main__":
    # skip interpreter teardown (seconds, with the provider SDKs loaded): the result is already sent
    sys.stderr.flush()
    os._exit(_work())
