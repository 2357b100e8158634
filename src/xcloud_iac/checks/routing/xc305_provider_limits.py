from __future__ import annotations

from collections import Counter, defaultdict

from ...spec import catalog
from ...spec import models as m
from ..finding import Severity
from ..registry import Rule, register
from ._common import and_join, link_views


@register
class ProviderLimits(Rule):
    """A provider limit is exceeded, so the deployment fails or routes are dropped: allowed prefixes of a Direct
    Connect gateway association (200), routes in a Transit Gateway route table (10,000), prefixes the far end
    advertises on an external link's BGP session (100; AWS resets the session above it), or unique dynamic
    prefixes a Google network learns in one region over its interconnects (250). Prefixes are counted once each."""

    id = "XC305"
    title = "Provider limit exceeded"
    severity = Severity.error
    tags = ("routing", "limits")
    fix_hint = "Summarise the prefixes into fewer, shorter ones, or split them over more gateways or route tables."

    def check(self, topo):
        routing = topo.routing
        for link in link_views(topo):
            count = len(set(link.aws.allowed_prefixes))
            if count > catalog.LIMIT_DXGW_ALLOWED_PREFIXES:
                yield self.finding(
                    topo, link.aws, f"the AWS allow-list of {link.label} (to network '{link.far_network}') has "
                    f"{count} prefixes; a Direct Connect gateway association allows "
                    f"{catalog.LIMIT_DXGW_ALLOWED_PREFIXES}", field=("allowed_prefixes",),
                )
            count = len(set(link.far.advertised)) if link.kind == "link" else 0  # the session of a transit VIF
            if count > catalog.LIMIT_BGP_PREFIXES_PER_SESSION:
                yield self.finding(
                    topo, link.far, f"network '{link.far_network}' advertises {count} prefixes over {link.label}; "
                    f"its BGP session accepts {catalog.LIMIT_BGP_PREFIXES_PER_SESSION}", field=(link.advertised_field,),
                )
        for dom in routing.domains.values():
            if not dom.id.startswith("rt:"):
                continue
            count = dom.index.distinct()  # routes with distinct prefixes
            if count > catalog.LIMIT_TGW_ROUTES_PER_TABLE:
                source, most = Counter(r.source for r in dom.routes).most_common(1)[0]
                yield self.finding(
                    topo, dom.obj, f"{dom.label} holds {count:,} routes (most from {source}: {most:,}); a Transit "
                    f"Gateway route table holds {catalog.LIMIT_TGW_ROUTES_PER_TABLE:,}", field=("name",),
                )
        yield from self._learned_by_google(topo, routing)

    def _learned_by_google(self, topo, routing):
        for net in topo.networks.values():
            dom = routing.domains.get(f"net:{net.name}")
            if net.cloud is not m.Cloud.gcp or dom is None:
                continue
            by_region: dict[str, set] = defaultdict(set)
            sources: dict[str, dict[str, m.Interconnect]] = defaultdict(dict)
            for route in dom.routes:
                ic = topo.interconnects.get(route.hop.link or "")
                if route.origin == "learned" and ic is not None:
                    by_region[ic.gcp.region].add(route.prefix)
                    sources[ic.gcp.region][ic.name] = ic
            for region, prefixes in sorted(by_region.items()):
                if len(prefixes) > catalog.LIMIT_GCP_LEARNED_PREFIXES:
                    ics = list(sources[region].values())
                    over = f"interconnect{'s' if len(ics) > 1 else ''} {and_join([repr(i.name) for i in ics])}"
                    yield self.finding(
                        topo, net, f"network '{net.name}' learns {len(prefixes)} prefixes in {region} over {over}; a "
                        f"Google network learns {catalog.LIMIT_GCP_LEARNED_PREFIXES} per region", field=("name",),
                        related=[
                            (f"AWS allow-list of interconnect '{i.name}'", i.aws, ("allowed_prefixes",)) for i in ics
                        ],
                    )
