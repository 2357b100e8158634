from __future__ import annotations

from collections import defaultdict

from ..finding import Severity
from ..registry import Rule, register


@register
class AsymmetricPath(Rule):
    """A network reaches another network that has no route back to any of its ranges, so replies are dropped and
    connections fail one way. One finding per network without the way back, naming the networks that reach it."""

    id = "XC306"
    title = "Asymmetric path"
    severity = Severity.warning
    tags = ("routing",)
    fix_hint = (
        "Give the way back: propagate the sender's ranges into the receiver's route table, or allow them on the link "
        "towards the receiver; or stop routing towards the receiver."
    )

    def check(self, topo):
        routing = topo.routing
        # Networks whose domains reach the same networks (the same domains, or domains of one reach class, such as
        # the Google networks behind one hub) are one group: work per group, not per pair of networks.
        group_of = {name: tuple(routing.reach_key(d) for d in routing.source_domains(name)) for name in topo.networks}
        members: dict[tuple, list[str]] = defaultdict(list)
        for name, group in group_of.items():
            members[group].append(name)
        reach: dict[tuple, set[str]] = {}
        for group, names in members.items():
            reach[group] = set().union(*(routing.reached_names(d) for d in routing.source_domains(names[0])))
        stranded: dict[str, list[str]] = defaultdict(list)  # receiver -> senders it has no route back to
        missing: dict[tuple, list[str]] = {}
        for group, senders in members.items():
            for receiver in reach[group]:
                key = (group, group_of[receiver])
                if key not in missing:
                    back = reach[group_of[receiver]]
                    missing[key] = [s for s in senders if s not in back]
                stranded[receiver] += [s for s in missing[key] if s != receiver]
        order = {name: i for i, name in enumerate(topo.networks)}
        for receiver in sorted(stranded, key=order.__getitem__):
            senders = sorted(stranded[receiver], key=order.__getitem__)
            if not senders:
                continue
            first = senders[0]
            path = routing.reaches(first, receiver)
            how = routing.describe(path) if path is not None else ""
            via = f" via {how}" if how else ""
            more = f" (and {len(senders) - 1} more)" if len(senders) > 1 else ""
            net = topo.networks[receiver]
            yield self.finding(
                topo, net, f"network '{receiver}' has no route back to network '{first}'{more}, which reaches it{via}",
                field=("name",),
                related=[(f"network '{s}' reaches it", topo.networks[s], ("name",)) for s in senders[:5]],
            )
