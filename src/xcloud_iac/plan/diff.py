"""What a change to a stack does, for a pull-request review: `xcloud diff`.

For each spec, the base and the head side are each loaded, checked and planned, then compared four ways:
- topology: networks, prefixes (network ranges, and what may cross each interconnect and link), effective routes of
  every route table / segment / network domain, DNS forwarding, trust (issuers, roles, Workload Identity), and the
  other spec objects - each added, removed or changed;
- resources: the two plans (run under Pulumi mocks in workers), matched by URN-equivalent key (type chain + logical
  name): create, update, replace (an input in immutable.py changed, or an immutable input refers to a resource
  that is replaced), delete;
- findings: introduced and resolved, compared by rule + spec path + message (so line shifts do not count);
- risks: the labels a reviewer must not miss (RISKS below).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..checks import Finding, Severity
from ..spec import Problem
from ..spec import models as m
from ..topology import Topology
from .graph import Edge, Picture, node_id, picture, union
from .immutable import forces_replacement, refused_update, replace_source
from .inventory import KEY_INPUTS, Inventory, Resource
from .runner import Checked, PlanOutcome, check_source, run_plans
from .sources import SpecSource

# ---------------------------------------------------------------- risk labels

INTERCONNECT_OR_GATEWAY = "interconnect-or-gateway"
TRUST_WIDENED = "trust-widened"
OVERLAP_OR_HIJACK = "overlap-or-hijack"
OUTSIDE_ALLOW_LIST = "route-outside-allow-list"

RISKS = {
    INTERCONNECT_OR_GATEWAY: "Interconnect or gateway replaced or deleted",
    TRUST_WIDENED: "Trust widened",
    OVERLAP_OR_HIJACK: "New address overlap or route hijack",
    OUTSIDE_ALLOW_LIST: "Route leaving the allow-list",
}

# Resources whose replacement or deletion cuts traffic between clouds: the link itself, or the gateway/hub it lands on
# (a replaced gateway also replaces the connection attached to it).
CONNECTIVITY_TYPES = {
    "gcp:networkconnectivity/transport:Transport": "interconnect",
    "aws-native:interconnect:Connection": "interconnect",
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": "link",
    "aws:directconnect/gateway:Gateway": "Direct Connect gateway",
    "aws:directconnect/gatewayAssociation:GatewayAssociation": "Direct Connect gateway association",
    "aws:networkmanager/dxGatewayAttachment:DxGatewayAttachment": "Direct Connect gateway attachment",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "Transit Gateway",
    "aws:networkmanager/coreNetwork:CoreNetwork": "Cloud WAN core network",
}
OVERLAP_RULES = frozenset({"XC201", "XC302"})
ALLOW_LIST_RULES = frozenset({"XC304"})


@dataclass(frozen=True)
class Risk:
    id: str
    details: tuple[str, ...]

    @property
    def title(self) -> str:
        return RISKS[self.id]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "details": list(self.details)}


# ---------------------------------------------------------------- results

SECTIONS = {
    "networks": "Networks",
    "prefixes": "Prefixes",
    "routes": "Effective routes",
    "dns": "DNS forwarding",
    "trust": "Trust",
    "objects": "Other objects",
}


@dataclass(frozen=True)
class Change:
    """One topology change. `item` says what of the subject changed (a field, a prefix, a domain); a list
    field changes element by element (each added or removed)."""

    section: str
    change: str  # added | removed | changed
    subject: str
    item: str = ""
    before: str | None = None
    after: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "change": self.change, "subject": self.subject, "item": self.item,
                "before": self.before, "after": self.after}


@dataclass(frozen=True)
class InputChange:
    name: str
    before: Any
    after: Any
    key: bool
    """A curated key input of the type (its values are shown); other inputs are only named."""
    replaces: bool

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "forces_replacement": self.replaces}
        if self.key:
            out.update(before=self.before, after=self.after)
        return out


@dataclass(frozen=True)
class ResourceChange:
    action: str  # create | update | replace | delete
    type: str
    name: str
    key: str
    parent: str
    component: str
    inputs: tuple[InputChange, ...] = ()
    notes: tuple[str, ...] = ()
    protected: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "type": self.type, "name": self.name, "parent": self.parent,
                "component": self.component, "key": self.key, "protected": self.protected,
                "inputs": [i.to_dict() for i in self.inputs], "notes": list(self.notes)}


ACTIONS = ("create", "update", "replace", "delete")


@dataclass
class StackDiff:
    spec: str
    """The spec's label: the head file, or the base one when the spec is deleted."""
    base: str | None
    """Where the base came from; None when the spec is new."""
    head: str | None
    """None when the spec is deleted."""
    changes: list[Change] = field(default_factory=list)
    picture: Picture = field(default_factory=Picture)
    """Base and head topology in one picture (removed objects drawn too)."""
    highlight: dict[str, str] = field(default_factory=dict)
    edge_highlight: dict[Edge, str] = field(default_factory=dict)
    resources: list[ResourceChange] | None = None
    """None when a side could not be planned (see `notes`)."""
    unchanged: int = 0
    introduced: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Why the head is unusable input (it does not load)."""
    unusable: bool = False

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(ACTIONS, 0)
        for r in self.resources or ():
            out[r.action] += 1
        return out

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.introduced or self.resolved or any(self.counts().values()) or self.problems)


@dataclass
class DiffReport:
    base: str
    stacks: list[StackDiff] = field(default_factory=list)

    @property
    def risks(self) -> list[Risk]:
        """Every stack's risks, one per label, in RISKS order."""
        details: dict[str, list[str]] = {}
        for s in self.stacks:
            for risk in s.risks:
                prefix = f"{s.spec}: " if len(self.stacks) > 1 else ""
                details.setdefault(risk.id, []).extend(prefix + d for d in risk.details)
        return [Risk(rid, tuple(details[rid])) for rid in RISKS if rid in details]

    @property
    def introduced(self) -> list[Finding]:
        return [f for s in self.stacks for f in s.introduced]

    @property
    def unusable(self) -> bool:
        return any(s.unusable for s in self.stacks)

    @property
    def introduces_error(self) -> bool:
        return any(f.severity is Severity.error for f in self.introduced)


# ---------------------------------------------------------------- comparing


Planner = Callable[..., list[PlanOutcome]]  # run_plans(jobs, progress=...)


def compare(pairs: list[tuple[SpecSource | None, SpecSource | None]], base: str, *, progress: bool = False,
            planner: Planner = run_plans) -> DiffReport:
    """Diff each (base, head) pair of spec sources (None: absent on that side). The plans run together, in
    workers (`planner`: tests may plan in process). A spec whose text did not change is not planned at all."""
    report = DiffReport(base)
    same = [b is not None and h is not None and b.text == h.text for b, h in pairs]
    pairs_to_diff = [pair for pair, unchanged in zip(pairs, same, strict=True) if not unchanged]
    checked = [(check_source(b) if b else None, check_source(h) if h else None) for b, h in pairs_to_diff]

    def planned(c: Checked | None) -> bool:  # error findings do not stop a diff's plan (see plan_stack)
        return c is not None and c.report is not None and not c.unusable

    jobs = [c.job(past_errors=not c.plannable) for pair in checked for c in pair if planned(c)]  # type: ignore
    outcomes = iter(planner(jobs, progress=progress) if jobs else [])
    plans = [tuple(next(outcomes) if planned(c) else None for c in pair) for pair in checked]
    diffs = iter(diff_stack(b, h, b_plan, h_plan) for (b, h), (b_plan, h_plan) in zip(checked, plans, strict=True))
    for (b, h), unchanged in zip(pairs, same, strict=True):
        report.stacks.append(StackDiff(h.label, b.label, h.label) if unchanged else next(diffs))  # type: ignore
    return report


def diff_stack(base: Checked | None, head: Checked | None, base_plan: PlanOutcome | None = None,
               head_plan: PlanOutcome | None = None) -> StackDiff:
    """The diff of one spec. A side that did not load is compared as empty (with a note), a side that could not
    be planned leaves the resource diff out (with a note)."""
    label = (head or base).source.label  # type: ignore[union-attr]
    out = StackDiff(label, base.source.label if base else None, head.source.label if head else None)
    if head is not None and head.problems:
        out.problems, out.unusable = head.problems, True
        out.notes.append(f"{head.source.label} cannot be loaded ({len(head.problems)} problem(s)): nothing to compare")
        return out
    if base is not None and base.problems:
        out.notes.append(f"the base {base.source.label} cannot be loaded ({len(base.problems)} problem(s)); "
                         "it is compared as empty")
    out.unusable = bool(head and head.unusable)
    b_stack = base.stack if base else None
    h_stack = head.stack if head else None
    # the check already built each topology
    b_topo = base.report.topology if base and base.report else None
    h_topo = head.report.topology if head and head.report else None

    out.changes = diff_topology(b_topo, h_topo)
    out.picture, out.highlight, out.edge_highlight = _pictures(b_topo, h_topo)
    b_contract, h_contract = _contract_findings(base, head, base_plan, head_plan)
    out.introduced, out.resolved = diff_findings([*(base.findings if base else []), *b_contract],
                                                 [*(head.findings if head else []), *h_contract])
    out.resources, out.unchanged = _resources(base, head, base_plan, head_plan, out.notes)
    out.risks = risks(b_stack, h_stack, out.introduced, out.resources, out.changes)
    return out


def _contract_findings(base: Checked | None, head: Checked | None, base_plan: PlanOutcome | None,
                       head_plan: PlanOutcome | None) -> tuple[list[Finding], list[Finding]]:
    """Each side's contract findings (XC8xx), and the create-only changes between the plans."""
    from ..contracts import diff_contract_findings  # the stage after the plan (it imports this package)

    def side(c: Checked | None, p: PlanOutcome | None):
        return (c.stack, p.inventory) if c and c.stack and p and p.inventory else None

    return diff_contract_findings(side(base, base_plan), side(head, head_plan))


def diff_findings(base: Iterable[Finding], head: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(introduced, resolved): findings of one side only, keyed by rule + path + message (not the location)."""

    def key(f: Finding) -> tuple[str, str, str]:
        return (f.rule, f.path, f.message)

    base, head = list(base), list(head)
    before, after = {key(f) for f in base}, {key(f) for f in head}
    return [f for f in head if key(f) not in before], [f for f in base if key(f) not in after]


def _resources(base: Checked | None, head: Checked | None, base_plan: PlanOutcome | None,
               head_plan: PlanOutcome | None, notes: list[str]) -> tuple[list[ResourceChange] | None, int]:
    sides = []
    for side, checked, plan in (("base", base, base_plan), ("head", head, head_plan)):
        if checked is None or checked.problems:
            sides.append(Inventory("", []))  # absent, or compared as empty
        elif plan is None:
            notes.append(f"the {side} spec is unusable (XC101/XC102), so it cannot be planned: the resource "
                         "changes are not known")
            return None, 0
        elif plan.inventory is None:
            why = "; ".join(plan.refused or []) or plan.error or "no result"
            notes.append(f"the {side} plan failed: {why}")
            return None, 0
        else:
            if not checked.plannable:
                errors = len(checked.report.errors) if checked.report else 0
                notes.append(f"`pulumi up` refuses the {side} as it is ({errors} error finding(s)); its resources "
                             "are planned as if they were waived")
            sides.append(plan.inventory)
    return diff_inventories(sides[0], sides[1])


def diff_inventories(base: Inventory, head: Inventory) -> tuple[list[ResourceChange], int]:
    """(changes, number unchanged). Replacement cascades: a resource whose immutable input is built from a replaced
    resource's outputs is replaced too (the mocks keep ids stable, so the inputs alone do not show it)."""
    before, after = base.by_key(), head.by_key()
    # a renamed resource (its spec object lists the old name in previous_names) is the base's resource under
    # its alias: Pulumi updates it in place, so it is compared, not deleted and created
    for key, new in after.items():
        if key not in before:
            alias = next((a for a in new.aliases if a in before and a not in after), None)
            if alias is not None:
                before[key] = before.pop(alias)
    changes: dict[str, ResourceChange] = {}
    for key, new in after.items():
        old = before.get(key)
        if old is None:
            changes[key] = _change("create", new)
            continue
        inputs = tuple(
            InputChange(n, old.inputs.get(n), new.inputs.get(n), n in KEY_INPUTS.get(new.type, ()),
                        forces_replacement(new.type, n, old.inputs.get(n), new.inputs.get(n)))
            for n in sorted(set(old.inputs) | set(new.inputs))
            if old.inputs.get(n) != new.inputs.get(n) and n not in new.ignore_changes  # as the engine does
        )
        notes = tuple(f"{i.name}: {why}" for i in inputs if (why := refused_update(new.type, i.name)))
        if old.read != new.read:
            changes[key] = _change("replace", new, inputs, ("switches between created and read (existing id)",))
        elif old.replacement_trigger != new.replacement_trigger:
            changes[key] = _change("replace", new, inputs, (*notes, "its replacement trigger changed"),
                                   protected=old.protect)
        elif any(i.replaces for i in inputs):
            changes[key] = _change("replace", new, inputs, notes, protected=old.protect)
        elif inputs:
            changes[key] = _change("update", new, inputs, notes)
    for key, old in before.items():
        if key not in after:
            changes[key] = _change("delete", old, protected=old.protect)

    replaced = {k for k, c in changes.items() if c.action == "replace"}
    grew = True
    while grew:
        grew = False
        for key, new in after.items():
            if key in replaced or key not in before:
                continue
            causes = [(n, d) for n, deps in new.depends_on.items() if replace_source(new.type, n)
                      for d in deps if d in replaced]
            if causes:
                note = tuple(f"{n} refers to {d.rsplit('::', 1)[-1]}, which is replaced" for n, d in causes)
                prior = changes.get(key)
                changes[key] = _change("replace", new, prior.inputs if prior else (),
                                       (prior.notes if prior else ()) + note, protected=before[key].protect)
                replaced.add(key)
                grew = True
    unchanged = sum(1 for key in after if key in before and key not in changes)
    return sorted(changes.values(), key=lambda c: (c.component, c.key)), unchanged


def _change(action: str, r: Resource, inputs: tuple[InputChange, ...] = (), notes: tuple[str, ...] = (), *,
            protected: bool = False) -> ResourceChange:
    if protected and action in ("replace", "delete"):
        notes = (*notes, "protected: `pulumi up` stops here until protection is lifted (protect: false in the spec)")
    return ResourceChange(action, r.type, r.name, r.key, r.parent, r.component, inputs, notes, protected)


# ---------------------------------------------------------------- topology


def diff_topology(base: Topology | None, head: Topology | None) -> list[Change]:
    changes: list[Change] = []
    b_objects, h_objects = _objects(base), _objects(head)
    for (kind, name) in sorted(set(b_objects) | set(h_objects)):
        section = "networks" if kind == "network" else "trust" if kind in _TRUST_KINDS else "objects"
        changes += _diff_dicts(section, f"{kind} '{name}'", b_objects.get((kind, name)), h_objects.get((kind, name)))
    changes += _diff_sets("prefixes", _prefixes(base), _prefixes(head))
    changes += _diff_values("routes", _routes(base), _routes(head))
    changes += _diff_values("dns", _forwarding(base), _forwarding(head))
    order = list(SECTIONS)
    return sorted(changes, key=lambda c: (order.index(c.section), c.subject, c.item, c.change, c.before or "",
                                          c.after or ""))


_TRUST_KINDS = ("issuer", "role", "workload identity")
# Fields shown in the prefixes section instead of with their object.
_PREFIX_FIELDS = {
    "network": {"cidrs": "ranges"},
    "interconnect": {"aws.allowed_prefixes": "AWS allow-list", "gcp.allowed_prefixes": "Google allow-list",
                     "gcp.advertised_prefixes": "Google advertises"},
    "link": {"aws.allowed_prefixes": "AWS allow-list", "remote.allowed_prefixes": "far end allow-list",
             "remote.advertised_prefixes": "far end advertises"},
}


def _objects(topo: Topology | None) -> dict[tuple[str, str], dict[str, Any]]:
    """Every named spec object as plain data, by (kind, name). Trust objects are put as a reviewer reads them."""
    if topo is None:
        return {}
    spec = topo.spec
    groups: list[tuple[str, list]] = [
        ("network", spec.networks), ("hub", spec.hubs), ("interconnect", spec.interconnects), ("link", spec.links),
        ("resolver endpoint", spec.dns.resolver_endpoints), ("resolver rule", spec.dns.resolver_rules),
        ("forwarding zone", spec.dns.forwarding_zones), ("inbound policy", spec.dns.inbound_policies),
        ("external forwarder", spec.dns.external_forwarders), ("issuer", spec.trust.issuers),
        ("workload identity", spec.trust.workload_identity),
    ]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, objs in groups:
        for obj in objs:
            data = obj.model_dump(mode="json", exclude={"name"})
            for path in _PREFIX_FIELDS.get(kind, {}):
                _pop(data, path)
            out[(kind, obj.name)] = data
    for role in spec.trust.roles:
        issuer = topo.issuers.get(role.issuer)
        out[("role", role.name)] = {
            "issuer": f"{role.issuer} ({issuer.url})" if issuer else role.issuer,
            "account": role.account, "audience": role.audience, "subjects": role.subjects,
            "max_session_seconds": role.max_session_seconds,
            "permissions": sorted(
                f"{action} on {resource}" + (f" if {json.dumps(p.conditions, sort_keys=True)}" if p.conditions else "")
                for p in role.permissions for action in p.actions for resource in p.resources
            ),
            "ignore": [w.model_dump(mode="json") for w in role.ignore],
        }
    return out


def _pop(data: dict[str, Any], dotted: str) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.get(part) or {}
    data.pop(last, None)


def _prefixes(topo: Topology | None) -> dict[tuple[str, str], set[str]]:
    """(subject, which list) -> prefixes: network ranges, and the allow-lists and advertisements of every link."""
    if topo is None:
        return {}
    spec = topo.spec
    out: dict[tuple[str, str], set[str]] = {}
    for net in spec.networks:
        out[(f"network '{net.name}'", "ranges")] = {str(c) for c in net.cidrs}
    for ic in spec.interconnects:
        subject = f"interconnect '{ic.name}'"
        out[(subject, "AWS allow-list")] = {str(p) for p in ic.aws.allowed_prefixes}
        out[(subject, "Google allow-list")] = {str(p) for p in ic.gcp.allowed_prefixes}
        out[(subject, "Google advertises")] = {str(p) for p in ic.gcp.advertised}
    for link in spec.links:
        subject = f"link '{link.name}'"
        out[(subject, "AWS allow-list")] = {str(p) for p in link.aws.allowed_prefixes}
        out[(subject, "far end allow-list")] = {str(p) for p in link.remote.allowed_prefixes}
        out[(subject, "far end advertises")] = {str(p) for p in link.remote.advertised}
    return out


def _routes(topo: Topology | None) -> dict[tuple[str, str], str]:
    """(domain, prefix) -> its next hops, for every route table, segment and network domain."""
    if topo is None:
        return {}
    routing = topo.routing
    hops: dict[tuple[str, str], set[str]] = {}
    for dom_id, dom in routing.domains.items():
        where = dom.label + (" (isolated attachments)" if dom_id.startswith("seg-isolated:") else "")
        for route in dom.routes:
            hop = route.hop
            if route.origin == "local":
                text = "local"
            elif hop.kind == "blackhole":
                text = "blackhole"
            elif hop.kind == "deliver":
                text = f"network '{hop.target}' via {hop.via}"
            elif hop.kind == "domain":
                target = routing.domains.get(hop.target)
                text = f"{target.label if target else hop.target} via {hop.via}"
            else:
                text = f"nowhere ({hop.via})"
            hops.setdefault((where, str(route.prefix)), set()).add(f"{text} [{route.origin}]")
    return {k: "; ".join(sorted(v)) for k, v in hops.items()}


def _forwarding(topo: Topology | None) -> dict[tuple[str, str], str]:
    """(forwarder, domain) -> which networks' queries go where."""
    if topo is None:
        return {}
    out = {}
    for fwd in topo.dns.forwarders:
        targets = []
        for dest in fwd.destinations:
            addresses = ", ".join(str(a) for a in dest.addresses)
            if not addresses and dest.ranges:  # allocated by the provider, read at deployment
                addresses = "allocated in " + ", ".join(str(r) for r in dest.ranges)
            named = dest.resolver is not None and addresses and addresses != dest.label
            targets.append(f"{dest.label} ({addresses})" if named else dest.label)
        text = f"from {', '.join(fwd.networks) or 'no network'} to {', '.join(targets)}"
        out[(fwd.label, fwd.domain)] = text
    return out


def _diff_dicts(section: str, subject: str, before: dict | None, after: dict | None) -> list[Change]:
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return [Change(section, "added", subject, after=_summary(after))]
    if after is None:
        return [Change(section, "removed", subject, before=_summary(before))]
    old, new = _flatten(before), _flatten(after)
    out = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if a == b:
            continue
        if isinstance(a, list | type(None)) and isinstance(b, list | type(None)) and (a or b):
            items_a, items_b = [_text(x) for x in a or []], [_text(x) for x in b or []]
            if set(items_a) != set(items_b):
                out += [Change(section, "added", subject, path, after=x) for x in items_b if x not in items_a]
                out += [Change(section, "removed", subject, path, before=x) for x in items_a if x not in items_b]
                continue
        out.append(Change(section, "changed", subject, path, _text(a), _text(b)))
    return out


def _diff_sets(section: str, before: dict[tuple[str, str], set[str]],
               after: dict[tuple[str, str], set[str]]) -> list[Change]:
    out = []
    for subject, item in sorted(set(before) | set(after)):
        old, new = before.get((subject, item), set()), after.get((subject, item), set())
        out += [Change(section, "added", subject, item, after=p) for p in sorted(new - old)]
        out += [Change(section, "removed", subject, item, before=p) for p in sorted(old - new)]
    return out


def _diff_values(section: str, before: dict[tuple[str, str], str], after: dict[tuple[str, str], str]) -> list[Change]:
    out = []
    for subject, item in sorted(set(before) | set(after)):
        old, new = before.get((subject, item)), after.get((subject, item))
        if old != new:
            change = "added" if old is None else "removed" if new is None else "changed"
            out.append(Change(section, change, subject, item, old, new))
    return out


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Nested spec data as dotted paths; a list of named objects becomes `field[name].sub`, any other list a leaf."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{path}.{k}" if path else k))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        out = {}
        for v in value:
            out.update(_flatten({k: x for k, x in v.items() if k != "name"}, f"{path}[{v['name']}]"))
        return out
    return {path: value}


def _summary(data: dict[str, Any]) -> str:
    parts = [str(data[k]) for k in ("cloud", "kind", "region", "issuer", "url", "project") if data.get(k)]
    return " ".join(parts)


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return " ".join(f"{k}={_text(v)}" for k, v in value.items() if v not in (None, [], {}, False))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "[]"
    return str(value)


# ---------------------------------------------------------------- the picture

# spec object kind -> picture node kind (only objects drawn as nodes)
_NODE_KINDS = {"network": "network", "hub": "hub", "interconnect": "interconnect", "link": "link",
               "resolver endpoint": "resolver", "inbound policy": "resolver", "external forwarder": "resolver",
               "issuer": "issuer", "role": "role", "workload identity": "workload_identity"}


def _pictures(base: Topology | None, head: Topology | None) -> tuple[Picture, dict[str, str], dict[Edge, str]]:
    """The union of both pictures, with the nodes and edges a change adds, removes or changes highlighted."""
    b_pic, h_pic = picture(base) if base else Picture(), picture(head) if head else Picture()
    both = union(b_pic, h_pic)
    b_objects, h_objects = _objects(base), _objects(head)
    # a change to a field shown elsewhere (prefixes) still changes the object
    b_prefixes, h_prefixes = _prefixes(base), _prefixes(head)
    moved = {subject for subject, item in set(b_prefixes) | set(h_prefixes)
             if b_prefixes.get((subject, item)) != h_prefixes.get((subject, item))}
    ids = {n.id for n in both.nodes}
    highlight: dict[str, str] = {}
    for (kind, name) in set(b_objects) | set(h_objects):
        nid = node_id(_NODE_KINDS.get(kind, ""), name)
        if nid not in ids:
            continue
        old, new = b_objects.get((kind, name)), h_objects.get((kind, name))
        if old is None:
            highlight[nid] = "added"
        elif new is None:
            highlight[nid] = "removed"
        elif old != new or f"{kind} '{name}'" in moved:
            highlight[nid] = "changed"
    b_edges, h_edges = set(b_pic.edges), set(h_pic.edges)
    edges = dict.fromkeys(h_edges - b_edges, "added") | dict.fromkeys(b_edges - h_edges, "removed")
    return both, highlight, edges


# ---------------------------------------------------------------- risks


def risks(base: m.Stack | None, head: m.Stack | None, introduced: list[Finding],
          resources: list[ResourceChange] | None, changes: list[Change]) -> list[Risk]:
    found: dict[str, list[str]] = {}

    def flag(rid: str, detail: str) -> None:
        found.setdefault(rid, []).append(detail)

    # interconnect or gateway replaced or deleted
    if resources is not None:
        for r in resources:
            what = CONNECTIVITY_TYPES.get(r.type)
            if what and r.action in ("replace", "delete"):
                why = [f"{i.name} changes" for i in r.inputs if i.replaces] + [n for n in r.notes if "replaced" in n]
                because = f": {'; '.join(why)}" if why else ""
                flag(INTERCONNECT_OR_GATEWAY, f"{what} {r.name} is {r.action}d{because}")
            elif what and any(refused_update(r.type, i.name) for i in r.inputs):
                names = ", ".join(i.name for i in r.inputs if refused_update(r.type, i.name))
                flag(INTERCONNECT_OR_GATEWAY, f"{what} {r.name}: {names} change is refused by AWS while attached")
    else:  # no plan: fall back on the spec
        for c in changes:
            if c.change == "removed" and not c.item and c.subject.split(" ")[0] in ("interconnect", "link", "hub"):
                flag(INTERCONNECT_OR_GATEWAY, f"{c.subject} is removed")

    for detail in _trust_widening(base, head):
        flag(TRUST_WIDENED, detail)

    for f in introduced:
        if f.rule in OVERLAP_RULES:
            flag(OVERLAP_OR_HIJACK, f"{f.rule} {f.message}")
        if f.rule in ALLOW_LIST_RULES:
            flag(OUTSIDE_ALLOW_LIST, f"{f.rule} {f.message}")
    for detail in _allow_lists_widened(base, head):
        flag(OUTSIDE_ALLOW_LIST, detail)
    return [Risk(rid, tuple(found[rid])) for rid in RISKS if rid in found]


def _wildcard(subject: str) -> bool:
    return "*" in subject or "?" in subject


def _trust_widening(base: m.Stack | None, head: m.Stack | None) -> list[str]:
    """Ways the head accepts tokens or grants access the base did not."""
    if head is None:
        return []
    out = []
    b_roles = {r.name: r for r in base.trust.roles} if base else {}
    b_issuers = {i.name: i for i in base.trust.issuers} if base else {}
    h_issuers = {i.name: i for i in head.trust.issuers}
    for role in head.trust.roles:
        old = b_roles.get(role.name)
        where = f"role '{role.name}'"
        if old is None:
            subjects = ", ".join(f"'{s}'" + (" (wildcard)" if _wildcard(s) else "") for s in role.subjects)
            out.append(f"new {where} trusts issuer '{role.issuer}' for {subjects or 'any subject'}")
            continue
        for s in role.subjects:
            if s not in old.subjects:
                out.append(f"{where}: new {'wildcard ' if _wildcard(s) else ''}subject '{s}'")
        if old.subjects and not role.subjects:
            out.append(f"{where}: no subject condition any more (any subject of the issuer)")
        if old.audience and not role.audience:
            out.append(f"{where}: audience '{old.audience}' removed (any audience accepted)")
        elif role.audience and old.audience and role.audience != old.audience:
            out.append(f"{where}: audience '{old.audience}' -> '{role.audience}'")
        if role.issuer != old.issuer:
            out.append(f"{where}: new issuer '{role.issuer}' (was '{old.issuer}')")
        if role.max_session_seconds > old.max_session_seconds:
            out.append(f"{where}: longer session {old.max_session_seconds} s -> {role.max_session_seconds} s")
        granted = set(_grants(role)) - set(_grants(old))
        if granted:
            out.append(f"{where}: wider permissions: {', '.join(sorted(granted))}")
    used = {r.issuer for r in head.trust.roles}
    for name, issuer in sorted(h_issuers.items()):
        old_issuer = b_issuers.get(name)
        if old_issuer is None or name not in used:
            continue
        if issuer.url != old_issuer.url:
            out.append(f"issuer '{name}': URL {old_issuer.url} -> {issuer.url} (its roles now trust another issuer)")
        new_ids = sorted(set(issuer.client_ids) - set(old_issuer.client_ids))
        if new_ids:
            out.append(f"issuer '{name}': new audience(s) {', '.join(new_ids)} registered")
    b_wif = {w.name: w for w in base.trust.workload_identity} if base else {}
    for wif in head.trust.workload_identity:
        old_wif = b_wif.get(wif.name)
        where = f"workload identity '{wif.name}'"
        if old_wif is None:
            out.append(f"new {where}: AWS account {wif.aws_account_id} roles {', '.join(wif.aws_roles) or '(none)'} "
                       f"reach project {wif.project}")
            continue
        if old_wif.attribute_condition and not wif.attribute_condition:
            out.append(f"{where}: attribute condition removed")
        elif wif.attribute_condition != old_wif.attribute_condition:
            out.append(f"{where}: attribute condition changed to {wif.attribute_condition!r}")
        roles = sorted(set(wif.aws_roles) - set(old_wif.aws_roles))
        if roles:
            out.append(f"{where}: new AWS role(s) {', '.join(roles)}")
        if wif.aws_account_id != old_wif.aws_account_id:
            out.append(f"{where}: AWS account {old_wif.aws_account_id} -> {wif.aws_account_id}")
    return out


def _grants(role: m.TrustRole) -> list[str]:
    """Each (action, resource) a role's permissions allow; a condition dropped makes a grant new."""
    return [f"{a} on {r}" + (" (conditional)" if p.conditions else "")
            for p in role.permissions for a in p.actions for r in p.resources]


def _allow_lists_widened(base: m.Stack | None, head: m.Stack | None) -> list[str]:
    """Prefixes an existing interconnect or link may now carry that its allow-lists did not cover before."""
    if base is None or head is None:
        return []
    out = []

    def lists(stack: m.Stack) -> dict[tuple[str, str], list]:
        found = {}
        for ic in stack.interconnects:
            found[(f"interconnect '{ic.name}'", "AWS allow-list")] = ic.aws.allowed_prefixes
            found[(f"interconnect '{ic.name}'", "Google allow-list")] = ic.gcp.allowed_prefixes
        for link in stack.links:
            found[(f"link '{link.name}'", "AWS allow-list")] = link.aws.allowed_prefixes
            found[(f"link '{link.name}'", "far end allow-list")] = link.remote.allowed_prefixes
        return found

    before = lists(base)
    for (subject, which), prefixes in sorted(lists(head).items()):
        if (subject, which) not in before:
            continue
        old = before[(subject, which)]
        for p in prefixes:
            if not any(p.version == o.version and p.subnet_of(o) for o in old):
                out.append(f"{subject}: {which} widened by {p}")
    return out
