from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule, prefixes


def _inside(prefix, allowed) -> bool:
    return any(prefix.version == a.version and prefix.subnet_of(a) for a in allowed)


@register
class PeeringRoutesDrift(LiveRule):
    """The routes the VPC receives over the interconnect's peering are not the AWS allow-list
    (`aws.allowed_prefixes`): a route outside it was let through (traffic for it leaves for AWS), or an allowed
    prefix is not received (that part of AWS is unreachable). Read with compute networks.listPeeringRoutes."""

    id = "XC724"
    title = "Routes received over the interconnect differ from the AWS allow-list"
    severity = Severity.error
    fix_hint = "Check the Direct Connect gateway association's allowed prefixes and the peering's route exchange."

    def check_live(self, topo, live):
        for ic in topo.spec.interconnects:
            transport = live.transports.get(ic.name)
            peering = transport.peering if transport else None
            if peering is None or peering.imported is None:
                continue
            who = f"interconnect '{ic.name}': peering '{peering.name}'"
            allowed = ic.aws.allowed_prefixes
            outside = [p for p in peering.imported if not _inside(p, allowed)]
            if outside:
                yield self.finding(topo, ic, f"{who} receives {prefixes(outside)}, outside the AWS allow-list "
                                   f"{prefixes(allowed)}", field=("aws", "allowed_prefixes"))
            active = transport.state == "ACTIVE" and peering.state == "ACTIVE" and peering.import_custom_routes
            missing = [p for p in allowed if p not in peering.imported]
            if missing and active:  # otherwise XC721/XC723 say why nothing arrives
                yield self.finding(topo, ic, f"{who} does not receive {prefixes(missing)} from AWS",
                                   field=("aws", "allowed_prefixes"))
