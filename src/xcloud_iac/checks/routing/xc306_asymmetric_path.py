from __future__ import annotations

from collections import defaultdict

from ..finding import Severity
from ..registry import Rule, register


@register
class AsymmetricPath(Rule):
    """A network reaches another network that has no route back to any of its ranges, so replies are dropped and
    connections fail one way. One finding per network without the way back, naming the networks that reach it.
    Judged per range too: a network with several ranges (e.g. a GKE pod range beside the node range) whose other
    ranges have a way back can still have one that does not (outside the far side's allow-list): traffic from that
    range gets no reply, one finding per such range."""

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
        yield from self._ranges_without_way_back(topo, reach, group_of, missing, order)
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

    def _ranges_without_way_back(self, topo, reach, group_of, missing, order):
        """Senders with several ranges, a way back from a receiver for some ranges, and no route at all for another
        range in the receiver's routing (a prefix lookup per range and receiver group, not a path walk)."""
        routing = topo.routing

        known: dict[tuple, bool] = {}
        firsts: dict[tuple, list[str]] = {}

        def routed(network: str, cidr) -> bool:
            """Whether the network's routing has a route (not a blackhole) covering the range (networks of one group
            route alike, so the answer is kept per group)."""
            key = (group_of[network], cidr.version, int(cidr.network_address), cidr.prefixlen)
            if key not in known:
                known[key] = any(
                    r.hop.kind != "blackhole"
                    for dom in routing.source_domains(network)
                    for r in routing.domains[dom].lookup(cidr, skip_local=True)
                )
            return known[key]

        for sender in sorted(topo.networks, key=order.__getitem__):
            net = topo.networks[sender]
            if len(net.cidrs) < 2:
                continue  # one range: the network-level verdict above is the range's
            group = group_of[sender]
            if group not in firsts:  # receivers of one group route alike: the first of each group stands for it
                by_group: dict[tuple, str] = {}
                for receiver in sorted(reach[group], key=order.__getitem__):
                    by_group.setdefault(group_of[receiver], receiver)
                firsts[group] = list(by_group.values())
            for receiver in firsts[group]:
                if receiver == sender or sender in missing.get((group, group_of[receiver]), ()):
                    continue  # no way back at all: reported per network
                # traffic from a range goes to the receiver's ranges of the same IP version: judge only versions
                # on which the sender routes towards the receiver at all
                versions = {c.version for c in topo.networks[receiver].cidrs if routed(sender, c)}
                for i, cidr in enumerate(net.cidrs):
                    if cidr.is_link_local or cidr.is_multicast or cidr.is_loopback or cidr.is_unspecified:
                        continue  # packets from such a source never leave the network (XC202 reports the range)
                    if cidr.version not in versions or routed(receiver, cidr):
                        continue
                    path = routing.reaches(sender, receiver)
                    how = routing.describe(path) if path is not None else ""
                    via = f" via {how}" if how else ""
                    yield self.finding(
                        topo, net, f"range {cidr} of network '{sender}' has no way back from network '{receiver}', "
                        f"which it reaches{via}: replies to traffic from that range are dropped",
                        field=("cidrs", i),
                        related=[(f"network '{receiver}' has no route for {cidr}", topo.networks[receiver], ("name",))],
                    )
