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

import base64
import gc
import json
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from ..checks import Finding, Report, check_many
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
    organisation: list[list[str]] = field(default_factory=list)
    """[text, file] of the other files of an organisation-wide plan: checked with the spec, not registered."""
    pickled: str = ""
    """Instead of `text` and `organisation`: (the Stack, the other Stacks of its organisation), pickled and
    base64-encoded (deploy() of a stack built in code)."""


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
    organisation: list[SpecSource] = field(default_factory=list)
    """The other files of an organisation-wide plan (checked together with the spec)."""

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
        return PlanJob(self.source.label, self.source.text, self.source.file, past_errors,
                       [[o.text, o.file] for o in self.organisation])


def check_source(source: SpecSource, organisation: Sequence[SpecSource] = ()) -> Checked:
    """Load and check a spec; with `organisation`, as one plan with those files (findings in any of them)."""
    stacks, problems = [], []
    for each in (source, *organisation):
        try:
            stacks.append(load_text(each.text, each.file))
        except SpecError as exc:
            problems += exc.problems
    if problems:
        return Checked(source, problems=sorted(problems, key=Problem.sort_key), organisation=list(organisation))
    return Checked(source, stacks[0], check_many(stacks), organisation=list(organisation))


@dataclass
class PlanResult:
    """`xcloud plan` of one spec: the inventory, or why there is none."""

    checked: Checked
    inventory: Inventory | None = None
    refused: list[str] = field(default_factory=list)
    """Why deploy() would register nothing: component arguments it rejects (error findings are in `checked`)."""
    error: str | None = None
    contracts: Report | None = None
    """The contract check of the inventory (XC8xx): what the clouds' APIs would refuse."""

    @property
    def findings(self) -> list[Finding]:
        """The spec's findings and the contract findings, sorted."""
        extra = self.contracts.findings if self.contracts else []
        return sorted([*self.checked.findings, *extra], key=Finding.sort_key)

    @property
    def status(self) -> str:
        if self.checked.unusable or self.error:
            return "unusable"
        if self.inventory is not None and self.contracts is not None and self.contracts.errors:
            return "refused"  # deploy() checks the same plan against the contracts and registers nothing
        return "planned" if self.inventory is not None else "refused"


def plan_source(source: SpecSource, *, progress: bool = False, contracts: bool = True,
                organisation: Sequence[SpecSource] = ()) -> PlanResult:
    """Check a spec (with the other files of its organisation), then plan it in a worker unless deploy() would
    refuse it, and hold the planned resources against the clouds' contracts (`contracts=False` leaves that stage
    out). The plan lists what the spec's own file registers."""
    checked = check_source(source, organisation)
    if not checked.plannable:
        return PlanResult(checked)
    outcome = run_plans([checked.job()], progress=progress)[0]
    result = PlanResult(checked, outcome.inventory, outcome.refused or [], outcome.error)
    if contracts and outcome.inventory is not None and checked.stack is not None:
        from ..contracts import contract_report  # the stage after the plan (it imports this package)

        result.contracts = contract_report(checked.stack, outcome.inventory)
    return result


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
            if job.pickled:
                stack, organisation = pickle.loads(base64.b64decode(job.pickled))
            else:
                stack = load_text(job.text, job.file)
                organisation = [load_text(text, file) for text, file in job.organisation]
            inventory = plan_stack(stack, tick, past_errors=job.past_errors, organisation=organisation)
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
