"""The topology as a picture: Mermaid (for pull-request comments), DOT, and PNG/SVG through Graphviz.

Shapes tell the kind of object (network, hub, interconnect, link, resolver, issuer, role, workload identity) and
fills tell the cloud. A `highlight` map marks objects a change adds, removes or modifies.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from ..spec import models as m
from ..spec.catalog import aws_bandwidth
from ..topology import Topology

CLOUD_COLOURS = {
    "aws": ("#FF9900", "#232F3E"),
    "gcp": ("#4285F4", "#FFFFFF"),
    "alibaba": ("#FF6A00", "#FFFFFF"),
    "tencent": ("#006EFF", "#FFFFFF"),
    "azure": ("#0078D4", "#FFFFFF"),
    "oci": ("#C74634", "#FFFFFF"),
    "onprem": ("#6B7280", "#FFFFFF"),
}
CHANGE_STYLES = {"added": "#16A34A", "removed": "#DC2626", "changed": "#D97706"}

# kind -> (Mermaid opening, closing; Graphviz shape)
SHAPES = {
    "network": ("[", "]", "box"),
    "hub": ("{{", "}}", "hexagon"),
    "interconnect": ("([", "])", "doubleoctagon"),
    "link": ("[/", "/]", "parallelogram"),
    "resolver": ("((", "))", "circle"),
    "issuer": ("[/", "\\]", "trapezium"),
    "role": ("[[", "]]", "component"),
    "workload_identity": ("[(", ")]", "cylinder"),
}


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    label: str
    cloud: str


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass
class Picture:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def node_id(kind: str, name: str) -> str:
    """Stable, syntax-safe id (names are [a-z0-9-], so replacing '-' keeps ids unique)."""
    return f"{kind}_{name.replace('-', '_')}"


def picture(topo: Topology) -> Picture:
    """Nodes and edges of the topology, sorted so the output is stable."""
    pic = Picture()
    spec = topo.spec
    for net in topo.networks.values():
        cidrs = ", ".join(str(c) for c in net.cidrs)
        pic.nodes.append(Node(node_id("network", net.name), "network", f"{net.name}<br/>{net.region} {cidrs}", net.cloud.value))
    for hub in topo.hubs.values():
        what = "Transit Gateway" if isinstance(hub, m.TransitGateway) else "Cloud WAN"
        pic.nodes.append(Node(node_id("hub", hub.name), "hub", f"{hub.name}<br/>{what}", "aws"))
        for att in hub.attachments:
            if att.kind == "peer":
                target = node_id("hub", att.target)
            else:
                target = node_id(att.kind, att.target)
            where = att.route_table if isinstance(att, m.TgwAttachment) else att.segment
            namespaces: dict[str, dict[str, Any]] = {"network": topo.networks, "interconnect": topo.interconnects,
                                                     "link": topo.links, "peer": topo.hubs}
            declared = namespaces[att.kind]
            if att.target in declared:
                pic.edges.append(Edge(target, node_id("hub", hub.name), f"{att.name}: {where}" if where else att.name))
    for ic in topo.interconnects.values():
        label = f"{ic.name}<br/>{ic.aws.region} - {ic.gcp.region}<br/>{aws_bandwidth(ic.bandwidth)}"
        pic.nodes.append(Node(node_id("interconnect", ic.name), "interconnect", label, "gcp"))
        if ic.gcp.network in topo.networks:
            pic.edges.append(Edge(node_id("interconnect", ic.name), node_id("network", ic.gcp.network)))
    for link in topo.links.values():
        label = f"{link.name}<br/>{link.provider} {link.location}"
        remote = topo.networks.get(link.remote.network)
        pic.nodes.append(Node(node_id("link", link.name), "link", label, remote.cloud.value if remote else "onprem"))
        if remote:
            pic.edges.append(Edge(node_id("link", link.name), node_id("network", remote.name)))
    for res in topo.resolvers.values():
        cloud = topo.networks[res.network].cloud.value
        pic.nodes.append(Node(node_id("resolver", res.name), "resolver", res.name, cloud))
        pic.edges.append(Edge(node_id("resolver", res.name), node_id("network", res.network), dashed=True))
    for source, domain, target in _forwarding(topo):
        pic.edges.append(Edge(node_id("network", source), node_id("resolver", target), domain, dashed=True))
    for issuer in topo.issuers.values():
        pic.nodes.append(Node(node_id("issuer", issuer.name), "issuer", f"{issuer.name}<br/>{issuer.kind.value}", _issuer_cloud(issuer)))
    for role in topo.roles.values():
        pic.nodes.append(Node(node_id("role", role.name), "role", role.name, "aws"))
        if role.issuer in topo.issuers:
            pic.edges.append(Edge(node_id("issuer", role.issuer), node_id("role", role.name), "trusts", dashed=True))
    for wif in spec.trust.workload_identity:
        pic.nodes.append(Node(node_id("workload_identity", wif.name), "workload_identity", f"{wif.name}<br/>{wif.project}", "gcp"))
        for role_name in wif.aws_roles:
            if role_name in topo.roles:
                source = node_id("role", role_name)
                pic.edges.append(Edge(source, node_id("workload_identity", wif.name), "federates", dashed=True))
    pic.nodes = sorted({n.id: n for n in pic.nodes}.values(), key=lambda n: (n.kind, n.id))
    pic.edges = sorted(set(pic.edges), key=lambda e: (e.source, e.target, e.label))
    return pic


def union(base: Picture, head: Picture) -> Picture:
    """Two pictures in one, so a diff can draw what a change removes: every node and edge of either side (a node
    both sides have keeps the head's label)."""
    nodes = {n.id: n for n in base.nodes} | {n.id: n for n in head.nodes}
    edges = set(base.edges) | set(head.edges)
    return Picture(
        sorted(nodes.values(), key=lambda n: (n.kind, n.id)),
        sorted(edges, key=lambda e: (e.source, e.target, e.label)),
    )


def _forwarding(topo: Topology) -> list[tuple[str, str, str]]:
    """(network, domain, resolver) for every forwarding decision that names a declared resolver."""
    return [
        (net, fwd.domain, dest.resolver.name)
        for fwd in topo.dns.forwarders
        for net in fwd.networks
        for dest in fwd.destinations
        if dest.resolver is not None
    ]


def _issuer_cloud(issuer: m.Issuer) -> str:
    return {"gke": "gcp", "eks": "aws", "alibaba": "alibaba", "tencent": "tencent"}.get(issuer.kind.value, "onprem")


def to_mermaid(pic: Picture, highlight: dict[str, str] | None = None,
               edge_highlight: dict[Edge, str] | None = None) -> str:
    """A Mermaid flowchart; `highlight` maps node ids, `edge_highlight` edges, to added/removed/changed."""
    highlight = highlight or {}
    lines = ["flowchart LR"]
    for node in pic.nodes:
        opening, closing, _dot = SHAPES[node.kind]
        lines.append(f'  {node.id}{opening}"{_escape(node.label)}"{closing}')
    for edge in pic.edges:
        arrow = "-.->" if edge.dashed else "---"
        label = f'|"{_escape(edge.label)}"|' if edge.label else ""
        lines.append(f"  {edge.source} {arrow}{label} {edge.target}")
    for cloud, (fill, text) in CLOUD_COLOURS.items():
        lines.append(f"  classDef {cloud} fill:{fill},color:{text},stroke:#333")
    for change, colour in CHANGE_STYLES.items():
        lines.append(f"  classDef {change} stroke:{colour},stroke-width:4px")
    by_cloud: dict[str, list[str]] = {}
    for node in pic.nodes:
        by_cloud.setdefault(node.cloud, []).append(node.id)
    lines += [f"  class {','.join(ids)} {cloud}" for cloud, ids in sorted(by_cloud.items())]
    by_change: dict[str, list[str]] = {}
    for node_ref, change in sorted(highlight.items()):
        by_change.setdefault(change, []).append(node_ref)
    lines += [f"  class {','.join(ids)} {change}" for change, ids in sorted(by_change.items())]
    for index, edge in enumerate(pic.edges):  # Mermaid styles links by their position
        if edge_highlight and edge in edge_highlight:
            lines.append(f"  linkStyle {index} stroke:{CHANGE_STYLES[edge_highlight[edge]]},stroke-width:3px")
    return "\n".join(lines) + "\n"


def to_dot(pic: Picture, highlight: dict[str, str] | None = None) -> str:
    highlight = highlight or {}
    lines = ["digraph xcloud {", "  rankdir=LR;", '  node [style=filled, fontname="Helvetica"];']
    for node in pic.nodes:
        fill, text = CLOUD_COLOURS[node.cloud]
        extra = f', color="{CHANGE_STYLES[highlight[node.id]]}", penwidth=4' if node.id in highlight else ""
        label = node.label.replace("<br/>", "\\n").replace('"', '\\"')
        lines.append(f'  {node.id} [label="{label}", shape={SHAPES[node.kind][2]}, fillcolor="{fill}", fontcolor="{text}"{extra}];')
    for edge in pic.edges:
        attrs = ["dir=none"] if not edge.dashed else ["style=dashed"]
        if edge.label:
            attrs.append(f'label="{edge.label}"')
        lines.append(f"  {edge.source} -> {edge.target} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


class GraphvizMissing(RuntimeError):
    pass


def render_image(dot: str, fmt: str) -> bytes:
    """PNG or SVG bytes from DOT, through Graphviz's `dot` program."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing("PNG and SVG need Graphviz's 'dot' program (e.g. apt-get install graphviz)")
    return subprocess.run([exe, f"-T{fmt}"], input=dot.encode(), capture_output=True, check=True, timeout=60).stdout


def _escape(text: str) -> str:
    return text.replace('"', "#quot;")
