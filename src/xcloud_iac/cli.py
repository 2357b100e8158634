"""`xcloud`: validate stacks, list the rule catalogue, export the JSON Schema.

Exit status: 0 clean, 1 findings at or above --fail-on, 2 unusable input (the stack cannot be read or built).

Start-up time: this module imports typer and the standard library only; each command imports what it needs when
it runs, so `xcloud --version` and `--help` import no part of the pipeline, and `validate` imports neither Pulumi
nor the cloud SDKs (tests/test_structure.py holds that, benchmarks/cli_startup.py times it). The annotations are
not postponed (no `from __future__ import annotations`): typer reads every command's parameters on each run, and
evaluating postponed ones costs more than the rest of building the commands.
"""

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from .spec import Problem, SpecError, Stack

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

app = typer.Typer(
    name="xcloud",
    help="Check and plan multicloud networks (AWS <-> Google Cloud and beyond) before they are deployed.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish and PowerShell
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from ._version import __version__

        sys.stdout.write(f"xcloud {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Check and plan multicloud networks (AWS <-> Google Cloud and beyond) before they are deployed."""


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class VerifyCloud(StrEnum):
    aws = "aws"
    gcp = "gcp"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


def _endpoint_url(value: str | None) -> str | None:
    """--endpoint-url: an http(s) URL with a host and a port in 1..65535, or a usage error (exit 2)."""
    if value is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        port = parts.port  # ValueError when not a number in 0..65535
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r}: {exc}; expected http(s)://host[:port]") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise typer.BadParameter(f"{value!r} is not an http(s) URL; expected http(s)://host[:port]")
    if port == 0:
        raise typer.BadParameter(f"{value!r}: port 0; expected a port in 1..65535")
    return value


@app.command()
def validate(
    specs: Annotated[list[Path], typer.Argument(help="Stack files. Several are checked one by one and as one plan.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit status 1.")] = FailOn.error,
    show_waived: Annotated[bool, typer.Option(help="Also list findings accepted by a waiver.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
    sarif: Annotated[Path | None, typer.Option(help="Also write SARIF to this file (beside the main format), so one "
                                               "run gives both reports whatever the exit status.")] = None,
) -> None:
    """Check stacks for address, route, DNS, trust and interconnect conflicts."""
    from .checks import Severity, check_many
    from .checks.render import RENDERERS

    _check_outputs(output, sarif)
    stacks, problems = _load_all(specs)
    report = check_many(stacks)
    findings, waived = report.findings, report.waived
    unusable = bool(problems) or report.unusable

    text = RENDERERS[format.value](findings, problems, waived if show_waived or format is Format.sarif else ())
    if sarif is not None:
        _emit(RENDERERS["sarif"](findings, problems, waived).encode(), sarif)
    _emit(text.encode(), output)
    if unusable:
        raise typer.Exit(EXIT_INPUT)
    threshold = None if fail_on is FailOn.never else Severity(fail_on.value)
    if threshold is not None and any(f.severity.rank >= threshold.rank for f in findings):
        raise typer.Exit(EXIT_FINDINGS)


class RulesFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def rules(
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = RulesFormat.text,
) -> None:
    """List the rule catalogue."""
    from .checks import rule_classes
    from .checks.docs import render_rules_markdown

    if format is RulesFormat.markdown:
        sys.stdout.write(render_rules_markdown())
        return
    rows = [
        {"id": c.id, "severity": c.severity.value, "title": c.title, "tags": list(c.tags),
         "description": c.description(), "hint": c.fix_hint}
        for c in rule_classes()
    ]
    if format is RulesFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    width = max(len(r["title"]) for r in rows)
    for r in rows:
        sys.stdout.write(f"{r['id']}  {r['severity']:<7}  {r['title']:<{width}}\n")


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")] = None,
) -> None:
    """Write the JSON Schema of a stack file (for editors' YAML language servers)."""
    from .spec.schema import stack_json_schema

    _check_outputs(output)
    text = json.dumps(stack_json_schema(), indent=2, sort_keys=True) + "\n"
    _emit(text.encode(), output)


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    png = "png"
    svg = "svg"


@app.command()
def graph(
    specs: Annotated[list[Path], typer.Argument(help="Stack files (several are drawn as one plan).")],
    format: Annotated[GraphFormat, typer.Option("--format", "-f", help="Output format.")] = GraphFormat.mermaid,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file (required for png).")] = None,
) -> None:
    """Draw the topology: networks, hubs, links, resolvers, issuers and roles, coloured by cloud."""
    from .checks.render import RENDERERS
    from .plan.graph import GraphvizMissing, picture, render_image, to_dot, to_mermaid
    from .spec import Stack
    from .topology import build

    _check_outputs(output)
    stacks, problems = _load_all(specs)
    if problems:
        sys.stdout.write(RENDERERS["text"]([], problems))
        raise typer.Exit(EXIT_INPUT)
    pic = picture(build(stacks[0] if len(stacks) == 1 else Stack.merge(stacks)))
    if format in (GraphFormat.mermaid, GraphFormat.dot):
        text = to_mermaid(pic) if format is GraphFormat.mermaid else to_dot(pic)
        _emit(text.encode(), output)
        return
    if output is None and format is GraphFormat.png:
        sys.stderr.write("error: --format png needs --output FILE\n")
        raise typer.Exit(EXIT_INPUT)
    try:
        _emit(render_image(to_dot(pic), format.value), output)
    except GraphvizMissing as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise typer.Exit(EXIT_INPUT) from None


class PlanFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def plan(
    spec: Annotated[Path, typer.Argument(help="The stack file to plan.")],
    format: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")] = PlanFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the plan to a file.")] = None,
    with_: Annotated[list[Path] | None, typer.Option(
        "--with", help="Another file of the organisation-wide plan (repeatable): checked with SPEC; only what "
                       "SPEC declares is planned (e.g. a team file attaching to a hub the platform file declares)."
    )] = None,
) -> None:
    """List every resource `pulumi up` would register (type, name, parent, key inputs; secrets masked), offline
    under Pulumi mocks, with a summary by component and the findings. Exit 1: refused (error findings)."""
    import shutil

    from .plan.render import render_plan_json, render_plan_table
    from .plan.runner import plan_source
    _check_outputs(output)
    sources = [_head(path) for path in [spec, *(with_ or [])]]
    terminal = output is None and sys.stdout.isatty()
    result = plan_source(sources[0], progress=format is PlanFormat.table and sys.stdout.isatty(),
                         organisation=sources[1:])
    if format is PlanFormat.json:
        text = render_plan_json(result)
    else:
        width = shutil.get_terminal_size().columns if terminal else None
        text = render_plan_table(result, **({"width": width} if width else {}), color=terminal)
    _emit(text.encode(), output)
    raise typer.Exit({"planned": EXIT_OK, "refused": EXIT_FINDINGS, "unusable": EXIT_INPUT}[result.status])


@app.command("policy-config")
def policy_config(
    spec: Annotated[Path, typer.Argument(help="The stack file whose deployment the policy pack will judge.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the config to a file.")] = None,
) -> None:
    """The policy pack's config for a stack (for `pulumi preview --policy-pack-config`): each spec waiver of a rule
    a policy enforces, as that policy's waiver of the resources the waived object registers, and the stack's Direct
    Connect allow-list. The resources' names come from an offline plan. Exit 1: the plan is refused."""
    from .plan.policy_config import policy_config as config_of
    from .plan.render import render_plan_table
    from .plan.runner import plan_source
    _check_outputs(output)
    source = _head(spec)
    result = plan_source(source, contracts=False)  # the config needs the resources' names, not their contracts
    if result.inventory is None or result.checked.stack is None:
        sys.stderr.write(render_plan_table(result))
        raise typer.Exit(EXIT_INPUT if result.status == "unusable" else EXIT_FINDINGS)
    config = config_of(result.checked.stack, result.inventory)
    _emit((json.dumps(config, indent=2) + "\n").encode(), output)


class DiffFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    sarif = "sarif"


@app.command()
def diff(
    base: Annotated[str, typer.Option("--base", help="A git revision (the same files as of that commit, e.g. "
                                      "origin/main) or a stack file to compare with.")],
    specs: Annotated[list[Path] | None, typer.Argument(
        help="Stack files (default: stacks/*.yaml, here and at the base).")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
    json_output: Annotated[Path | None, typer.Option("--json", help="Also write the JSON report to this file.")] = None,
    sarif: Annotated[Path | None, typer.Option(help="Also write the SARIF report to this file.")] = None,
) -> None:
    """What a change does: topology, resources (added, updated, replaced, deleted), findings introduced and
    resolved, and risk labels - as a pull-request comment (markdown + Mermaid), JSON or SARIF. Exit 1: the change
    introduces an error finding."""
    from .plan.diff import compare
    from .plan.render import DIFF_RENDERERS
    from .plan.sources import BaseUnusable, spec_pairs
    from .spec import SpecError

    _check_outputs(output, json_output, sarif)
    try:
        pairs = spec_pairs(list(specs or []), base)
    except BaseUnusable as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise typer.Exit(EXIT_INPUT) from None
    except SpecError as exc:
        _refuse_input(exc)
    report = compare(pairs, base, progress=format is DiffFormat.markdown and sys.stdout.isatty())
    for extra, kind in ((json_output, "json"), (sarif, "sarif")):
        if extra is not None:
            _emit(DIFF_RENDERERS[kind](report).encode(), extra)
    _emit(DIFF_RENDERERS[format.value](report).encode(), output)
    raise typer.Exit(EXIT_INPUT if report.unusable else EXIT_FINDINGS if report.introduces_error else EXIT_OK)


@app.command("audit-trust")
def audit_trust(
    files: Annotated[list[Path], typer.Argument(help="JSON files: IAM policies, `aws iam get-role` (or list-roles, "
                                                "get-account-authorization-details) output, Workload Identity providers.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit status 1.")] = FailOn.error,
    issuer: Annotated[list[str] | None, typer.Option(help="An issuer URL the roles may trust (repeatable); "
                                                     "any other issuer is XC503.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
) -> None:
    """Audit IAM role trust policies and Google Workload Identity providers, wherever they came from (XC501..XC506)."""
    from .audit import AuditInputError, audit_file
    from .checks import Finding
    from .checks.render import RENDERERS

    _check_outputs(output)
    findings: list[Finding] = []
    problems: list[Problem] = []
    for path in files:
        try:
            findings += audit_file(path, issuers=issuer)
        except AuditInputError as exc:
            problems += exc.problems
    findings.sort(key=Finding.sort_key)
    _emit(RENDERERS[format.value](findings, problems).encode(), output)
    raise typer.Exit(_exit_status(findings, fail_on, unusable=bool(problems)))


@app.command()
def verify(
    spec: Annotated[Path, typer.Argument(help="The stack file whose deployment is compared with AWS and Google.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit status 1.")] = FailOn.error,
    show_waived: Annotated[bool, typer.Option(help="Also list findings accepted by a waiver.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to a file.")] = None,
    endpoint_url: Annotated[str | None, typer.Option(help="Send AWS calls here instead (an emulator such as moto): "
                                                     "http(s)://host[:port].", callback=_endpoint_url)] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile; default: the standard credential chain.")] = None,
    max_attempts: Annotated[int, typer.Option(min=1, help="Tries per AWS or Google call; throttling and server "
                                              "errors are retried with backoff.")] = 5,
    cloud: Annotated[list[VerifyCloud] | None, typer.Option(
        "--cloud", help="Read only this side (repeatable); default: both.")] = None,
    gcp_endpoint: Annotated[str | None, typer.Option(
        help="Send Google API calls here instead (an emulator); the APIs' service paths are kept.")] = None,
    gcp_project: Annotated[str | None, typer.Option(
        help="Google project of objects the spec gives none (default: the one of Application Default Credentials).",
    )] = None,
    gcp_anonymous: Annotated[bool, typer.Option(
        help="Send no Google credentials (emulators); default: Application Default Credentials.")] = False,
    watch: Annotated[float | None, typer.Option(min=0.0, metavar="SECONDS", help="Check every SECONDS, report only "
                                                "changes, stop on SIGINT/SIGTERM (text, json or github).")] = None,
) -> None:
    """Compare the live AWS and Google sides of a deployed stack with its spec (XC700..XC730).

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 unusable spec, 3 partial report (XC700 says what
    could not be read and why).
    """
    import contextlib
    import threading

    import boto3
    from botocore.exceptions import BotoCoreError

    from . import verify as live
    from .checks.render import RENDERERS

    _check_outputs(output)
    if watch is not None and format is Format.sarif:
        sys.stderr.write("error: --watch reports changes as text, json or github, not sarif\n")
        raise typer.Exit(EXIT_INPUT)
    stacks, problems = _load_all([spec])
    if problems:
        _emit(RENDERERS[format.value]([], problems).encode(), output)
        raise typer.Exit(EXIT_INPUT)
    try:
        session = boto3.Session(profile_name=profile)
    except BotoCoreError as exc:  # e.g. the profile does not exist
        sys.stderr.write(f"error: {exc}\n")
        raise typer.Exit(EXIT_INPUT) from None
    options = live.AwsOptions(endpoint_url=endpoint_url, max_attempts=max_attempts)
    google = live.GcpOptions(endpoint=gcp_endpoint, project=gcp_project, anonymous=gcp_anonymous,
                             max_attempts=max_attempts)
    clouds = tuple(c.value for c in cloud) if cloud else live.CLOUDS

    def run():
        return live.verify(stacks[0], session=session, options=options, google=google, clouds=clouds)

    def emit(change) -> None:
        try:
            with output.open("a", encoding="utf-8") if output else contextlib.nullcontext(sys.stdout) as out:
                out.write(live.render_change(change, format.value))
                out.flush()
        except OSError as exc:
            _refuse_output(output, exc)

    if watch is None:
        report = run()
        waived = report.waived if show_waived or format is Format.sarif else ()
        _emit(RENDERERS[format.value](report.findings, (), waived).encode(), output)
    else:
        with live.stop_on_signals(threading.Event()) as stop:
            report = live.watch(run, watch, emit, stop=stop)
    if unread := live.unread(report):
        sys.stderr.write(f"partial report: {len(unread)} part(s) of the live state could not be read (XC700)\n")
        raise typer.Exit(live.EXIT_PARTIAL)
    raise typer.Exit(_exit_status(report.findings if report else [], fail_on, unusable=bool(report and report.unusable)))


def _exit_status(findings, fail_on: FailOn, *, unusable: bool) -> int:
    """validate's rule: 2 unusable input, 1 a finding at or above --fail-on, else 0."""
    from .checks import Severity

    if unusable:
        return EXIT_INPUT
    threshold = None if fail_on is FailOn.never else Severity(fail_on.value)
    return EXIT_FINDINGS if threshold and any(f.severity.rank >= threshold.rank for f in findings) else EXIT_OK


def _load_all(specs: list[Path]) -> "tuple[list[Stack], list[Problem]]":
    from .spec import SpecError, load

    stacks: list[Stack] = []
    problems: list[Problem] = []
    for path in specs:
        try:
            stacks.append(load(path))
        except SpecError as exc:
            problems.extend(exc.problems)
    return stacks, problems


def _head(spec: Path):
    """The spec to plan, or exit 2 (missing, a directory, FIFO, link loop, unreadable, not UTF-8)."""
    from .plan.sources import head_source
    from .spec import SpecError

    try:
        source = head_source(spec)
    except SpecError as exc:
        _refuse_input(exc)
    if source is None:
        sys.stderr.write(f"{spec}: error XC000 <root>: file not found\n")
        raise typer.Exit(EXIT_INPUT)
    return source


def _refuse_input(exc: "SpecError") -> NoReturn:
    from .checks.render import RENDERERS

    sys.stderr.write(RENDERERS["text"]([], exc.problems))
    raise typer.Exit(EXIT_INPUT)


def _check_outputs(*outputs: Path | None) -> None:
    """Refuse (exit 2) an output path that cannot be written, before any work is done: its folder is missing or not
    a folder, it is a directory, or it exists and is not writable."""
    import os

    for output in outputs:
        if output is None or str(output) == "-":
            continue
        parent = output.parent
        if output.is_dir():
            _refuse_output(output, "is a directory; expected a file name")
        if not parent.is_dir():
            _refuse_output(output, f"the folder {parent} does not exist" if not parent.exists()
                           else f"{parent} is not a folder")
        if output.exists() and not os.access(output, os.W_OK):
            _refuse_output(output, "the file is not writable")


def _refuse_output(output: Path | None, reason: object) -> NoReturn:
    if isinstance(reason, OSError):
        reason = reason.strerror or reason
    sys.stderr.write(f"error: cannot write {output}: {reason}\n")
    raise typer.Exit(EXIT_INPUT)


def _emit(data: bytes, output: Path | None) -> None:
    if output is not None and str(output) != "-":
        try:
            output.write_bytes(data)
        except OSError as exc:
            _refuse_output(output, exc)
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(data)
    else:  # a captured text stream (tests)
        sys.stdout.write(data.decode())


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
