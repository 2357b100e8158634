"""Seeded synthetic organisations, from 10 to 10,000 networks, for benchmarks and scale tests.

`generate(networks, seed=0, plant={"XC201": 3})` builds a whole organisation the way a platform team lays it out:

- AWS VPCs in *cells* of about 180: each cell is a Transit Gateway with route tables `prod`, `nonprod`, `shared`,
  `edge` (what links and interconnects are associated with), `inspection` and `sandbox`, a shared-services VPC
  (DNS endpoints, egress: `0.0.0.0/0` points at it), blackhole routes for retired and test ranges, and peering with a
  partner cell in another region (static summary routes both ways). About a fifth of the cells sit on Cloud WAN
  cores instead (segments `prod`, `nonprod`, `shared` shared with all, `sandbox` with isolated attachments).
- Google VPCs on interconnects into their cell (allow-lists both ways, 35.199.192.0/19 back for Cloud DNS), and
  Alibaba, Tencent and on-premises networks on Direct Connect links.
- DNS: Route 53 inbound/outbound endpoints in each shared VPC, resolver rules associated with many VPCs, Cloud DNS
  forwarding zones and inbound policies, external forwarders; OIDC issuers (GKE, ACK, TKE, on-prem Kubernetes,
  GitHub) with their roles, and Workload Identity pools.

At 10,000 networks that is about 100,000 routes over all route tables, segments and networks, 5,000 DNS forwarding
rules and 2,000 trust roles. Every address comes from one plan, so the stack is clean by construction: `check()`
gives no finding at all. `plant` then adds a known number of conflicts per rule (see `PLANTABLE`), each on its own
object, and `Synthetic.expected` says how many findings of which rule they give: a benchmark checks the findings
as well as the time.

The organisation is kept as one document per cell (plus one per Cloud WAN core and one for the organisation's
GitHub trust), as a platform repo keeps `stacks/*.yaml`; `Synthetic.stack()` is the whole of it in memory, and
`Synthetic.yaml()` the files the loader reads. Same arguments, same stack, byte for byte.
"""

from __future__ import annotations

import copy
import ipaddress
import math
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import yaml

from .spec import catalog
from .spec import models as m
from .topology import Topology

IPv4 = ipaddress.IPv4Network

# Where addresses come from. A cell owns one /14 of 10/8 (its VPCs' /22s) and one /16 of 100.64/10 (their secondary
# /24s), so allow-lists and peering routes are two summaries per cell. Google and external networks take /22s and
# /24s from the blocks after the cells. Nothing uses 198.18.0.0/15 (RFC 2544): blackhole and planted routes go there.
_PRIMARY = ipaddress.IPv4Network("10.0.0.0/8")
_SECONDARY = ipaddress.IPv4Network("100.64.0.0/10")
_IPV6 = ipaddress.ip_network("2600:1f18::/40")
_UNUSED = ipaddress.ip_network("198.18.0.0/15")
_SANDBOX = ipaddress.ip_network("172.31.0.0/16")  # every sandbox is the default-VPC range: overlapping, never joined
_CLOUD_DNS = str(catalog.CLOUD_DNS_FORWARDING_SOURCE)

_IC_REGIONS = list(catalog.INTERCONNECT_REGION_PAIRS)  # cells in these regions can take interconnects
_CELL_REGIONS = [*_IC_REGIONS, "ap-southeast-1"]
_EXTERNAL = (  # cloud, short name, DNS suffix, issuer kind, issuer URL pattern, far-end ASN, ranges
    ("alibaba", "ali", "aliyun.example.com", "alibaba", "https://oidc-ack.{region}.aliyuncs.com/{key}", 45102, 2),
    ("tencent", "tc", "tencent.example.com", "tencent", "https://tke-oidc.{region}.tencentcloudapi.com/id/{key}",
     45090, 2),
    ("onprem", "dc", "corp.example.com", "kubernetes", "https://k8s-{key}.corp.example.com", None, 6),
)
_GCP_MORE_REGIONS = ["us-central1", "europe-west1", "europe-west4", "asia-northeast1", "us-east1"]
_EXTERNAL_REGION = {"alibaba": "ap-southeast-1", "tencent": "ap-singapore", "onprem": "dc1"}
_BANDWIDTHS = ("1Gbps", "BPS_2G", "5Gbps", "10Gbps", "BPS_10G")
_ENVS = ("prod", "nonprod")
# Every cell starts with these VPCs: the shared-services VPC (DNS, egress), a sandbox and, behind a Transit Gateway,
# an inspection VPC that sees every environment.
_FIRST = {"tgw": ("shared", "sandbox", "inspection"), "wan": ("shared", "sandbox")}

# Which route tables each kind of attachment propagates into, in a cell's Transit Gateway.
_PROPAGATE = {
    "prod": ["prod", "shared", "edge", "inspection"],
    "nonprod": ["nonprod", "shared", "edge", "inspection"],
    "shared": ["prod", "nonprod", "shared", "edge", "inspection"],
    "inspection": ["prod", "nonprod", "shared", "edge", "inspection"],
    "sandbox": ["sandbox"],
    "edge": ["prod", "nonprod", "shared", "inspection"],
}
_TABLES = ("prod", "nonprod", "shared", "edge", "inspection", "sandbox")


@dataclass
class _Cell:
    """One address block with its VPCs and whatever connects to them; one document of the organisation."""

    index: int
    kind: str  # "tgw" | "wan"
    region: str
    block: IPv4
    block2: IPv4
    doc: dict[str, Any]
    core: str | None = None  # the Cloud WAN core, for kind "wan"
    peer: _Cell | None = None
    vpcs: dict[str, list[dict]] = field(
        default_factory=lambda: {e: [] for e in ("prod", "nonprod", "shared", "inspection", "sandbox")}
    )
    gcp: list[dict] = field(default_factory=list)
    ext: list[dict] = field(default_factory=list)
    ext_dns: dict[str, tuple[str, str]] = field(default_factory=dict)  # external network -> (its domain, forwarder)
    attachments: list[dict] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"c{self.index:02d}"

    @property
    def hub(self) -> dict | None:
        return self.doc["hubs"][0] if self.kind == "tgw" else None

    @property
    def shared(self) -> dict:
        return self.vpcs["shared"][0]

    @property
    def summaries(self) -> list[str]:
        return [str(self.block), str(self.block2)]

    @property
    def domain(self) -> str:
        return f"{self.name}.aws.example.internal"


@dataclass
class Synthetic:
    """A generated organisation: its documents, and the findings its planted conflicts give."""

    networks: int
    seed: int
    documents: dict[str, dict[str, Any]]  # file name -> stack data
    expected: Counter[str]  # rule -> number of findings of the planted conflicts (empty: clean)
    planted: dict[str, list[str]]  # rule -> what was planted, in words

    def data(self) -> dict[str, Any]:
        """The whole organisation as one stack's data."""
        merged: dict[str, Any] = {"version": 1, "name": "organisation", "networks": [], "hubs": [],
                                  "interconnects": [], "links": [], "dns": {}, "trust": {}}
        for doc in self.documents.values():
            for key in ("networks", "hubs", "interconnects", "links"):
                merged[key] += doc.get(key, [])
            for section in ("dns", "trust"):
                for key, items in doc.get(section, {}).items():
                    merged[section].setdefault(key, []).extend(items)
        return merged

    def stack(self) -> m.Stack:
        """The organisation in memory (no file positions)."""
        return m.Stack.model_validate(self.data())

    def yaml(self) -> dict[str, str]:
        """File name -> YAML text, one file per cell, core and the organisation's own trust."""
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return {name: yaml.dump(doc, Dumper=dumper, sort_keys=False, width=120) for name, doc in self.documents.items()}


def describe(topo: Topology) -> dict[str, int]:
    """The sizes that matter for the checks' cost: networks, hubs, route tables and segments, routes over all
    forwarding domains, DNS forwarding rules, trust roles."""
    routing = topo.routing
    return {
        "networks": len(topo.networks),
        "hubs": len(topo.hubs),
        "domains": len(routing.domains),
        "routes": sum(len(d.routes) for d in routing.domains.values()),
        "dns_rules": len(topo.dns.forwarders),
        "roles": len(topo.roles),
        "issuers": len(topo.issuers),
    }


def generate(networks: int, *, seed: int = 0, plant: Mapping[str, int] | None = None) -> Synthetic:
    """An organisation of `networks` networks (one more per planted XC103), clean unless `plant` asks for
    conflicts: rule id -> how many (see PLANTABLE). Raises ValueError when the organisation is too small to hold that
    many conflicts, each on its own object."""
    if networks < 10:
        raise ValueError("a synthetic organisation has at least 10 networks (a Transit Gateway cell, a Cloud WAN "
                         "cell, a Google and an external network)")
    org = _Org(networks, random.Random(seed))
    org.build()
    expected: Counter[str] = Counter()
    planted: dict[str, list[str]] = {}
    for rule, count in sorted((plant or {}).items()):
        if rule not in PLANTABLE:
            raise ValueError(f"cannot plant {rule}; plantable: {', '.join(sorted(PLANTABLE))}")
        per_plant, how = PLANTABLE[rule]
        planted[rule] = [how(org, i) for i in range(count)]
        if count:
            expected[rule] += per_plant * count
    return Synthetic(networks, seed, org.documents(), expected, planted)


# ---------------------------------------------------------------- the organisation


class _Org:
    def __init__(self, networks: int, rng: random.Random) -> None:
        self.n = networks
        self.rng = rng
        self.cells: list[_Cell] = []
        self.cores: list[dict] = []
        self.org_doc: dict[str, Any] = {"name": "org-trust", "trust": {"issuers": [], "roles": [],
                                                                          "workload_identity": []}}
        self._blocks = iter(_PRIMARY.subnets(new_prefix=14))
        self._blocks2 = iter(_SECONDARY.subnets(new_prefix=16))
        self._spare: list[ipaddress.IPv4Network] = []  # /22s and /24s for Google and external networks
        self._unused = iter(_UNUSED.subnets(new_prefix=24))
        self._asn = 4_200_000_000
        self._used: set[int] = set()  # ids of objects a plant already changed: one conflict per object

    # ------------------------------------------------------------ sizes

    def build(self) -> None:
        n = self.n
        n_gcp = max(1, round(n * 0.08))
        n_ext = max(1, round(n * 0.12))
        n_aws = n - n_gcp - n_ext
        # about sqrt(n)/2 cells (45 at 10,000 networks, 180 VPCs each), at least four VPCs per cell
        n_cells = max(2, min(n_aws // 4, round(math.sqrt(n_aws) / 2)))
        n_wan = max(1, round(n_cells * 0.2))
        for i in range(n_cells):
            kind = "wan" if i >= n_cells - n_wan else "tgw"
            regions = _CELL_REGIONS if kind == "tgw" else _IC_REGIONS  # a core has one edge per region
            region = regions[i % len(regions)] if kind == "tgw" else regions[(i - (n_cells - n_wan)) % len(regions)]
            doc = {"name": f"c{i:02d}", "networks": [], "hubs": [], "interconnects": [], "links": [],
                   "dns": {"resolver_endpoints": [], "resolver_rules": [], "forwarding_zones": [],
                           "inbound_policies": [], "external_forwarders": []},
                   "trust": {"issuers": [], "roles": []}}
            self.cells.append(_Cell(i, kind, region, next(self._blocks), next(self._blocks2), doc))
        self._spare_blocks()
        tgw = [c for c in self.cells if c.kind == "tgw"]
        for a, b in zip(tgw[0::2], tgw[1::2]):  # partner cells peer their Transit Gateways
            a.peer, b.peer = b, a
        wan = [c for c in self.cells if c.kind == "wan"]
        for k in range(0, len(wan), len(_IC_REGIONS)):  # one core per five WAN cells, one edge per region
            self._core(len(self.cores), wan[k : k + len(_IC_REGIONS)])

        minimum = [len(_FIRST[c.kind]) for c in self.cells]
        for cell, low, extra in zip(self.cells, minimum, _split(n_aws - sum(minimum), n_cells)):
            self._vpcs(cell, low + extra)
        ic_cells = [c for c in self.cells if c.region in _IC_REGIONS]
        for i in range(n_gcp):
            self._gcp(ic_cells[i % len(ic_cells)] if i < len(ic_cells) else self.rng.choice(ic_cells))
        for i in range(n_ext):
            self._external(self.cells[i % n_cells] if i < n_cells else self.rng.choice(self.cells), i)
        for cell in self.cells:
            if cell.kind == "tgw":
                self._transit_gateway(cell)
            self._dns(cell)
        for core, cells in zip(self.cores, self._core_cells()):
            self._core_attachments(core, cells)
        self._trust(n_roles=max(2, round(n * 0.2)), n_wif=max(1, n // 100))

    def _spare_blocks(self) -> None:
        """/22s (Google) and /24s (external) from the /14s after the cells'."""
        rest = list(self._blocks)
        self._spare22 = (s for b in rest[: len(rest) // 2] for s in b.subnets(new_prefix=22))
        self._spare24 = (s for b in rest[len(rest) // 2 :] for s in b.subnets(new_prefix=24))

    def documents(self) -> dict[str, dict[str, Any]]:
        docs = {f"{c.name}.yaml": c.doc for c in self.cells}
        docs.update({f"{core['name']}.yaml": {"name": core["name"], "hubs": [core]} for core in self.cores})
        docs["org-trust.yaml"] = self.org_doc
        return {name: _prune(copy.deepcopy(doc)) for name, doc in docs.items()}

    def _next_asn(self) -> int:
        self._asn += 1
        return self._asn

    # ------------------------------------------------------------ networks

    def _vpcs(self, cell: _Cell, count: int) -> None:
        """The cell's first VPCs (_FIRST), then prod and nonprod (one in twenty more shared)."""
        first = _FIRST[cell.kind]
        envs = [*first, *("shared" if k % 20 == 19 else _ENVS[k % 2] for k in range(count - len(first)))]
        slots = cell.block.subnets(new_prefix=22)
        slots2 = cell.block2.subnets(new_prefix=24)
        for k, env in enumerate(envs):
            name = f"{cell.name}-{env}-{k:03d}"
            account = f"{100_000_000_000 + cell.index * 1000 + k // 10:012d}"
            if env == "sandbox" and cell.kind == "tgw":  # alone in its route table; on a core they share a segment
                cidrs, base = [str(_SANDBOX)], _SANDBOX
                next(slots), next(slots2)  # the other VPCs keep their place in the plan
            else:
                base = next(slots)
                cidrs = [str(base), str(next(slots2))]
            net: dict[str, Any] = {"name": name, "cloud": "aws", "region": cell.region, "account": account,
                                   "cidrs": cidrs}
            if env != "sandbox" and self.rng.random() < 0.25:
                net["stack_type"] = "dual"
                net["cidrs"].append(str(ipaddress.IPv6Network((int(_IPV6.network_address) + ((cell.index << 8 | k) << 72), 56))))
            first24 = list(cast(ipaddress.IPv4Network, base).subnets(new_prefix=24))
            a, b = f"{cell.region}a", f"{cell.region}b"
            net["subnets"] = [
                {"name": "tgw-a", "cidr": str(_sub(first24[0], 28, 0)), "zone": a},
                {"name": "tgw-b", "cidr": str(_sub(first24[0], 28, 1)), "zone": b},
                {"name": "app-a", "cidr": str(first24[1]), "zone": a},
                {"name": "app-b", "cidr": str(first24[2]), "zone": b},
            ]
            if env == "shared" and not cell.vpcs["shared"]:  # the cell's DNS hub
                net["subnets"] += [{"name": "dns-a", "cidr": str(_sub(first24[0], 26, 1)), "zone": a},
                                   {"name": "dns-b", "cidr": str(_sub(first24[0], 26, 2)), "zone": b}]
                net["private_zones"] = [cell.domain]
            elif self.rng.random() < 0.3:
                net["private_zones"] = [f"{name}.{cell.domain}"]
            cell.vpcs[env].append(net)
            cell.doc["networks"].append(net)
            if cell.kind == "tgw":
                cell.attachments.append({"name": name, "network": name, "subnets": ["tgw-a", "tgw-b"],
                                         "route_table": env,
                                         "propagate_to": list(_PROPAGATE[env])})
            else:
                cell.attachments.append({"name": name, "network": name, "subnets": ["tgw-a", "tgw-b"],
                                         "segment": env})

    def _gcp(self, cell: _Cell) -> None:
        k = len(cell.gcp)
        name, project = f"{cell.name}-gcp-{k:03d}", f"example-{cell.name}-gcp-{k:03d}"
        region = catalog.INTERCONNECT_REGION_PAIRS[cell.region]
        regions = [region, *self.rng.sample(_GCP_MORE_REGIONS, self.rng.randint(1, 2))]  # a global VPC
        cidrs = [next(self._spare22) for _ in regions]
        cidr = cidrs[0]
        net: dict[str, Any] = {"name": name, "cloud": "gcp", "region": region, "account": project, "cidrs": [str(c) for c in cidrs],
               "mtu": 1500, "subnets": [{"name": f"main-{r}", "cidr": str(_sub(c, 24, 0)), "zone": r}
                                        for r, c in zip(regions, cidrs)],
               "private_zones": [f"{name}.gcp.example.internal"]}
        cell.gcp.append(net)
        cell.doc["networks"].append(net)
        key_from = self.rng.choice(("gcp", "aws"))
        ic = {
            "name": f"{name}-ic", "bandwidth": self.rng.choice(_BANDWIDTHS), "mtu": 1500,
            "activation_key_from": key_from,
            "aws": {"region": cell.region, "dx_gateway_asn": self._next_asn(),
                    "allowed_prefixes": self._aws_side(cell),
                    **({"environment_id": f"env-{cell.region}-{k:03d}"} if key_from == "aws"
                       else {"account": f"{100_000_000_000 + cell.index * 1000:012d}"})},
            "gcp": {"region": region, "project": project, "network": name,
                    "allowed_prefixes": [*net["cidrs"], _CLOUD_DNS]},
            "monitoring": {"source_network": cell.shared["name"], "source_subnet": "dns-a",
                           "destination": str(cidr.network_address + 10)},
        }
        cell.doc["interconnects"].append(ic)
        cell.attachments.append({"name": f"{name}-ic", "interconnect": ic["name"], **self._edge(cell)})
        # Google allocates the policy's inbound forwarder addresses, one per subnet; deploy() reads them back
        cell.doc["dns"]["inbound_policies"].append({"name": f"{name}-in", "network": name})
        # Google resolves the cell's names, and its RDS endpoints, through the cell's inbound endpoint
        for zone, domain in (("aws", cell.domain), ("rds", "rds.amazonaws.com")):
            cell.doc["dns"]["forwarding_zones"].append(
                {"name": f"{name}-{zone}", "domain": domain, "networks": [name],
                 "targets": [{"resolver": f"{cell.name}-in"}]})

    def _external(self, cell: _Cell, i: int) -> None:
        cloud, short, suffix, issuer_kind, url, asn, ranges = _EXTERNAL[i % len(_EXTERNAL)]
        name = f"{cell.name}-{short}-{len(cell.ext):03d}"
        cidrs = [next(self._spare24) for _ in range(ranges)]
        cidr = cidrs[0]
        net = {"name": name, "cloud": cloud, "region": _EXTERNAL_REGION[cloud], "cidrs": [str(c) for c in cidrs]}
        cell.ext.append(net)
        cell.doc["networks"].append(net)
        link = {
            "name": f"{name}-dx", "provider": "equinix", "location": f"Eq{cell.region[:2].upper()}{1 + i % 5}",
            "region": cell.region, "bandwidth": "1Gbps", "vlan": 100 + len(cell.ext),
            "aws": {"dx_gateway_asn": self._next_asn(), "allowed_prefixes": self._aws_side(cell)},
            "remote": {"network": name, "asn": asn or 4_250_000_000 + i, "allowed_prefixes": list(net["cidrs"])},
            "monitoring": {"source_network": cell.shared["name"], "source_subnet": "dns-a",
                           "destination": str(cidr.network_address + 53)},
        }
        cell.doc["links"].append(link)
        cell.attachments.append({"name": f"{name}-dx", "link": link["name"], **self._edge(cell)})
        resolver = f"{name}-dns"
        cell.doc["dns"]["external_forwarders"].append({
            "name": resolver, "network": name,
            "addresses": [str(cidr.network_address + 53), str(cidr.network_address + 54)],
            "rules": [{"domain": cell.domain, "targets": [{"resolver": f"{cell.name}-in"}]}],
        })
        cell.ext_dns[name] = (f"{name}.{suffix}", resolver)
        key = f"{cell.index:02d}{len(cell.ext):04d}"
        cell.doc["trust"]["issuers"].append(
            {"name": f"{name}-oidc", "kind": issuer_kind, "url": url.format(region=cell.region, key=key),
             "client_ids": ["sts.amazonaws.com"]})

    def _aws_side(self, cell: _Cell) -> list[str]:
        """What AWS advertises over a cell's links: the cell's summaries (a core's: every cell of the core)."""
        if cell.kind == "wan":
            return [s for c in self.cells if c.core == cell.core for s in c.summaries]
        return cell.summaries

    def _edge(self, cell: _Cell) -> dict[str, Any]:
        if cell.kind == "wan":
            return {"segment": "prod"}
        return {"route_table": "edge", "propagate_to": list(_PROPAGATE["edge"])}

    # ------------------------------------------------------------ hubs

    def _transit_gateway(self, cell: _Cell) -> None:
        shared = cell.shared["name"]
        tables: dict[str, list[dict]] = {t: [] for t in _TABLES}
        for env in ("prod", "nonprod", "sandbox"):  # egress through the shared-services VPC
            tables[env].append({"prefix": "0.0.0.0/0", "attachment": shared})
        for env in ("prod", "nonprod"):
            tables[env].append({"prefix": str(next(self._unused)), "blackhole": True})  # a retired range
            tables[env].append({"prefix": "192.168.0.0/16", "blackhole": True})
        tables["sandbox"] += [{"prefix": "10.0.0.0/8", "blackhole": True},
                              {"prefix": "100.64.0.0/10", "blackhole": True}]
        attachments = cell.attachments
        if cell.peer is not None:
            peer = cell.peer
            attachments.append({"name": f"peer-{peer.name}", "peer": f"{peer.name}-tgw", "route_table": "prod"})
            for table in ("prod", "shared", "inspection"):  # the tables whose VPCs the peer's prod table reaches
                tables[table] += [{"prefix": s, "attachment": f"peer-{peer.name}"} for s in peer.summaries]
        cell.doc["hubs"].append({
            "name": f"{cell.name}-tgw", "kind": "transit_gateway", "region": cell.region,
            "account": f"{100_000_000_000 + cell.index * 1000:012d}", "asn": 64512 + cell.index,
            "route_tables": [{"name": t, "routes": routes} for t, routes in tables.items()],
            "attachments": attachments,
        })

    def _core(self, k: int, cells: list[_Cell]) -> None:
        low = 65000 + 10 * k
        core: dict[str, Any] = {
            "name": f"wan{k}", "kind": "cloud_wan", "asn_ranges": [f"{low}-{low + 9}"],
            "edges": [{"region": c.region, "asn": low + j} for j, c in enumerate(cells)],
            "segments": [
                {"name": "prod", "routes": []},
                {"name": "nonprod", "routes": []},
                {"name": "shared", "share_with": ["prod", "nonprod", "sandbox"]},
                {"name": "sandbox", "isolate_attachments": True},
            ],
            "attachments": [],
        }
        for c in cells:
            c.core = core["name"]
        self.cores.append(core)

    def _core_cells(self) -> list[list[_Cell]]:
        return [[c for c in self.cells if c.core == core["name"]] for core in self.cores]

    def _core_attachments(self, core: dict, cells: list[_Cell]) -> None:
        egress = cells[0].shared["name"]
        for seg in core["segments"][:2]:
            seg["routes"] = [{"prefix": "0.0.0.0/0", "attachment": egress},
                             {"prefix": str(next(self._unused)), "blackhole": True}]
        for c in cells:
            core["attachments"] += c.attachments

    # ------------------------------------------------------------ DNS

    def _dns(self, cell: _Cell) -> None:
        shared = cell.shared["name"]
        dns = cell.doc["dns"]
        dns["resolver_endpoints"] += [
            {"name": f"{cell.name}-in", "network": shared, "direction": "inbound",
             "addresses": [{"subnet": "dns-a", "ip": str(_host(cell.shared, 0, 64 + 10))},
                           {"subnet": "dns-b", "ip": str(_host(cell.shared, 0, 128 + 10))}],
             "allowed_sources": ["10.0.0.0/8", "100.64.0.0/10", _CLOUD_DNS]},
            {"name": f"{cell.name}-out", "network": shared, "direction": "outbound",
             "addresses": [{"subnet": "dns-a"}, {"subnet": "dns-b"}]},
        ]
        vpcs = [v["name"] for env in ("shared", "prod", "nonprod") for v in cell.vpcs[env]]

        def rule(name: str, domain: str, resolver: str) -> None:
            # shared with the hub VPC and a handful to a few dozen VPCs of the cell (RAM-shared rules)
            others = self.rng.sample(vpcs[1:], min(len(vpcs) - 1, self.rng.randint(4, 24)))
            item = {"name": name, "domain": domain, "endpoint": f"{cell.name}-out",
                    "targets": [{"resolver": resolver}], "networks": [shared, *sorted(others)]}
            dns["resolver_rules"].append(item)
            cell.rules.append(item)

        for g in cell.gcp:
            rule(f"{g['name']}-fwd", f"{g['name']}.gcp.example.internal", f"{g['name']}-in")
        for e in cell.ext:
            domain, resolver = cell.ext_dns[e["name"]]
            rule(f"{e['name']}-fwd", domain, resolver)
        if cell.peer is not None:
            rule(f"{cell.name}-to-{cell.peer.name}", cell.peer.domain, f"{cell.peer.name}-in")

    # ------------------------------------------------------------ trust

    def _trust(self, n_roles: int, n_wif: int) -> None:
        issuers: list[tuple[dict, dict]] = []  # (issuer, document it is declared in)
        for cell in self.cells:
            for g in cell.gcp:
                item = {"name": f"{g['name']}-gke", "kind": "gke",
                        "url": f"https://container.googleapis.com/v1/projects/{g['account']}/locations/"
                               f"{g['region']}/clusters/{g['name']}", "client_ids": ["sts.amazonaws.com"]}
                cell.doc["trust"]["issuers"].append(item)
            issuers += [(i, cell.doc) for i in cell.doc["trust"]["issuers"]]
        github = {"name": "github", "kind": "github", "url": "https://token.actions.githubusercontent.com",
                  "client_ids": ["sts.amazonaws.com"]}
        self.org_doc["trust"]["issuers"].append(github)
        issuers.append((github, self.org_doc))
        for k in range(n_roles):
            issuer, doc = issuers[k % len(issuers)] if k < len(issuers) else self.rng.choice(issuers)
            name = f"{issuer['name']}-r{k}"
            if issuer["kind"] == "github":
                subjects = [f"repo:example/svc-{k}:ref:refs/heads/main", f"repo:example/svc-{k}:environment:prod"]
            else:
                subjects = [f"system:serviceaccount:team-{k % 97}:app-{k}"]
            doc["trust"]["roles"].append({
                "name": name, "issuer": issuer["name"], "account": f"{100_000_000_000 + k % 50:012d}",
                "audience": "sts.amazonaws.com", "subjects": subjects,
                "max_session_seconds": 3600,  # IAM allows a role 3600..43200; above 3600 is XC504
                "permissions": [
                    {"actions": ["s3:GetObject", "s3:PutObject"], "resources": [f"arn:aws:s3:::example-{k}/*"]},
                    {"actions": ["s3:ListBucket"], "resources": [f"arn:aws:s3:::example-{k}"]},
                ],
            })
        gcp = [g for c in self.cells for g in c.gcp]
        for k in range(n_wif):
            g = gcp[k % len(gcp)]
            account = f"{100_000_000_000 + k % 50:012d}"
            self.org_doc["trust"]["workload_identity"].append({
                "name": f"aws-to-{g['name']}-{k}", "project": g["account"], "pool_id": f"aws-pool-{k:04d}",
                "provider_id": f"aws-{k:04d}", "aws_account_id": account, "aws_roles": [f"replicator-{k}"],
                "attribute_condition": f"attribute.aws_role == 'arn:aws:sts::{account}:assumed-role/replicator-{k}'",
                "service_account": f"replicator-{k}@{g['account']}.iam.gserviceaccount.com",
            })

    # ------------------------------------------------------------ picking objects for plants

    def pick(self, items: list[Any], what: str) -> Any:
        """An object no plant has changed yet (one conflict per object), chosen by the seed."""
        free = [i for i in items if id(i) not in self._used]
        if not free:
            raise ValueError(f"not enough {what} to plant that many conflicts at this size")
        item = self.rng.choice(free)
        self._used.add(id(item))
        return item

    def tgw_cells(self) -> list[_Cell]:
        return [c for c in self.cells if c.kind == "tgw"]

    def interconnects(self, tgw_only: bool = False) -> list[tuple[_Cell, dict, dict]]:
        """(cell, interconnect, Google network) triples."""
        return [(c, ic, g) for c in self.cells if not (tgw_only and c.kind != "tgw")
                for ic, g in zip(c.doc["interconnects"], c.gcp)]

    def roles(self) -> list[dict]:
        return [r for d in [*(c.doc for c in self.cells), self.org_doc] for r in d["trust"]["roles"]]


# ---------------------------------------------------------------- planted conflicts
# Each plant changes one object no other plant touched, so that it gives exactly `per_plant` findings of its rule and
# nothing else. The returned text says what was planted.


def _plant_overlap(org: _Org, i: int) -> str:
    """XC201: a prod VPC's secondary range moved into the unused fourth /24 of another prod VPC of its cell."""
    cells = [c for c in org.tgw_cells() if sum(id(v) not in org._used for v in c.vpcs["prod"]) >= 2]
    if not cells:
        raise ValueError("not enough prod VPCs to plant that many conflicts at this size")
    cell = org.rng.choice(cells)
    victim = org.pick(cell.vpcs["prod"], "prod VPCs")
    planter = org.pick(cell.vpcs["prod"], "prod VPCs")
    inner = list(ipaddress.ip_network(victim["cidrs"][0]).subnets(new_prefix=24))[3]
    planter["cidrs"][1] = str(inner)
    return f"network '{planter['name']}' {inner} inside network '{victim['name']}'"


def _plant_reserved(org: _Org, i: int) -> str:
    """XC202: a nonprod VPC's secondary range in link-local space."""
    vpc = org.pick([v for c in org.cells for v in c.vpcs["nonprod"]], "nonprod VPCs")
    vpc["cidrs"][1] = f"169.254.{i}.0/24"
    return f"network '{vpc['name']}' 169.254.{i}.0/24"


def _plant_unconnected(org: _Org, i: int) -> str:
    """XC103: an on-premises network declared and never connected."""
    cell = org.cells[i % len(org.cells)]
    name = f"{cell.name}-orphan-{i:03d}"
    cell.doc["networks"].append({"name": name, "cloud": "onprem", "region": "dc1", "cidrs": [str(next(org._spare24))]})
    return f"network '{name}'"


def _plant_mtu(org: _Org, i: int) -> str:
    """XC204 (two findings): an interconnect at MTU 1400 to a Google network at 1500; the network's paths across it
    then carry less than it declares."""
    _cell, ic, _g = org.pick(org.interconnects(), "interconnects")
    ic["mtu"] = 1400
    return f"interconnect '{ic['name']}' MTU 1400"


def _plant_hijack(org: _Org, i: int) -> str:
    """XC302: a Google side allows (so advertises) a /25 inside a shared-services or inspection VPC of the cell it
    connects to. (Every table reaches those VPCs anyway; a prod victim would also be reached from nonprod, through
    the Google network, with no way back: an XC306 too.)"""
    def victims(cell: _Cell) -> list[dict]:
        return [v for v in cell.vpcs["shared"] + cell.vpcs["inspection"] if id(v) not in org._used]

    cells = [c for c in org.tgw_cells() if victims(c) and any(id(ic) not in org._used for ic in c.doc["interconnects"])]
    if not cells:
        raise ValueError("not enough shared-services VPCs behind interconnects to plant that many conflicts at this size")
    cell, ic, _g = _pick_ic(org, cells=[org.rng.choice(cells)])
    victim = org.pick(victims(cell), "shared-services VPCs")
    prefix = list(ipaddress.ip_network(victim["cidrs"][0]).subnets(new_prefix=25))[6]  # clear of DNS endpoints
    ic["gcp"]["allowed_prefixes"].append(str(prefix))
    return f"interconnect '{ic['name']}' advertises {prefix} of network '{victim['name']}'"


def _plant_nowhere(org: _Org, i: int) -> str:
    """XC303: a static route for a range nobody owns, to a prod VPC's attachment."""
    cell = org.rng.choice(org.tgw_cells())
    prefix, target = str(next(org._unused)), cell.vpcs["prod"][0]["name"]
    table = next(t for t in cell.hub["route_tables"] if t["name"] == "prod")  # type: ignore[index]
    table["routes"].append({"prefix": prefix, "attachment": target})
    return f"static route {prefix} in hub '{cell.name}-tgw' to '{target}'"


def _plant_outside_allow_list(org: _Org, i: int) -> str:
    """XC304: a Google network with a second range that its side advertises but does not allow."""
    _cell, ic, g = _pick_ic(org)
    extra = str(next(org._spare22))
    g["cidrs"].append(extra)
    ic["gcp"]["advertised_prefixes"] = [*ic["gcp"]["allowed_prefixes"], extra]
    return f"interconnect '{ic['name']}' advertises {extra}"


def _plant_asn(org: _Org, i: int) -> str:
    """XC307: a Direct Connect gateway with the ASN of the Transit Gateway it attaches to."""
    cell, ic, _g = _pick_ic(org, tgw_only=True)
    ic["aws"]["dx_gateway_asn"] = cell.hub["asn"]  # type: ignore[index]
    return f"interconnect '{ic['name']}' ASN {cell.hub['asn']}"  # type: ignore[index]


def _plant_routing_loop(org: _Org, i: int) -> str:
    """XC308: partner cells send a range nobody owns to each other over their peering."""
    cells = [c for c in org.tgw_cells() if c.peer is not None and c.index < c.peer.index]
    if not cells:
        raise ValueError("routing loops need two peered Transit Gateway cells (at least about 100 networks)")
    a = org.rng.choice(cells)
    prefix = str(next(org._unused))
    for here, there in ((a, a.peer), (a.peer, a)):
        table = next(t for t in here.hub["route_tables"] if t["name"] == "prod")  # type: ignore[union-attr,index]
        table["routes"].append({"prefix": prefix, "attachment": f"peer-{there.name}"})  # type: ignore[union-attr]
    return f"{prefix} between hubs '{a.name}-tgw' and '{a.peer.name}-tgw'"  # type: ignore[union-attr]


def _plant_dns_loop(org: _Org, i: int) -> str:
    """XC401: an external forwarder sends its own domain back to the cell that forwards it there."""
    cell = org.rng.choice([c for c in org.cells if any(id(e) not in org._used for e in c.ext)])
    ext = org.pick(cell.ext, "external networks")
    rule = next(r for r in cell.rules if r["name"] == f"{ext['name']}-fwd")
    fwd = next(f for f in cell.doc["dns"]["external_forwarders"] if f["network"] == ext["name"])
    fwd["rules"].append({"domain": rule["domain"], "targets": [{"resolver": f"{cell.name}-in"}]})
    return f"'{rule['domain']}' between network '{cell.shared['name']}' and network '{ext['name']}'"


def _plant_endpoint_zones(org: _Org, i: int) -> str:
    """XC406: an outbound endpoint with both addresses in one availability zone."""
    cell = org.pick(org.cells, "cells")  # one endpoint per cell
    out = cell.doc["dns"]["resolver_endpoints"][1]
    out["addresses"][1]["subnet"] = "dns-a"
    return f"endpoint '{out['name']}'"


def _role_plant(change: Callable[[dict, int], str]) -> Callable[[_Org, int], str]:
    def plant(org: _Org, i: int) -> str:
        role = org.pick(org.roles(), "roles")
        return f"role '{role['name']}': {change(role, i)}"
    plant.__doc__ = change.__doc__
    return plant


def _no_audience(role: dict, i: int) -> str:
    """XC501: a role without an audience."""
    del role["audience"]
    return "no audience"


def _wildcard_subject(role: dict, i: int) -> str:
    """XC502: a role trusting every service account of a namespace."""
    role["subjects"] = [f"system:serviceaccount:team-{i}:*"]
    return role["subjects"][0]


def _long_session(role: dict, i: int) -> str:
    """XC504: a twelve-hour session."""
    role["max_session_seconds"] = 43200
    return "43200 s"


def _wildcard_action(role: dict, i: int) -> str:
    """XC505: every S3 action."""
    role["permissions"][0]["actions"] = ["s3:*"]
    return "s3:*"


def _unregistered_audience(role: dict, i: int) -> str:
    """XC507: an audience the issuer's OIDC provider does not register."""
    role["audience"] = f"team-{i}-api"
    return role["audience"]


def _plant_issuer(org: _Org, i: int) -> str:
    """XC503: an issuer URL over http."""
    issuer = org.pick([x for c in org.cells for x in c.doc["trust"]["issuers"]], "issuers")
    issuer["url"] = issuer["url"].replace("https://", "http://", 1)
    return f"issuer '{issuer['name']}'"


def _plant_wif(org: _Org, i: int) -> str:
    """XC506: a Workload Identity provider without a condition."""
    wif = org.pick(org.org_doc["trust"]["workload_identity"], "workload identity pools")
    del wif["attribute_condition"]
    return f"workload identity '{wif['name']}'"


def _ic_plant(change: Callable[[dict], str]) -> Callable[[_Org, int], str]:
    def plant(org: _Org, i: int) -> str:
        _cell, ic, _g = _pick_ic(org)
        return f"interconnect '{ic['name']}': {change(ic)}"
    plant.__doc__ = change.__doc__
    return plant


def _region_pair(ic: dict) -> str:
    """XC601: a Google region that is nobody's partner."""
    ic["gcp"]["region"] = "asia-east1"
    return "asia-east1"


def _bandwidth(ic: dict) -> str:
    """XC602: 3 Gbps, which is not offered."""
    ic["bandwidth"] = "3Gbps"
    return "3Gbps"


def _critical(ic: dict) -> str:
    """XC603: critical with no second interconnect."""
    ic["critical"] = True
    return "critical"


def _unmonitored(ic: dict) -> str:
    """XC604: no monitoring."""
    del ic["monitoring"]
    return "no monitoring"


def _unprotected(ic: dict) -> str:
    """XC605: protect false."""
    ic["protect"] = False
    return "protect: false"


def _pick_ic(org: _Org, tgw_only: bool = False, cells: list[_Cell] | None = None) -> tuple[_Cell, dict, dict]:
    triples = [t for t in org.interconnects(tgw_only) if cells is None or t[0] in cells]
    free = [t for t in triples if id(t[1]) not in org._used and id(t[2]) not in org._used]
    if not free:
        raise ValueError("not enough interconnects to plant that many conflicts at this size")
    cell, ic, g = org.rng.choice(free)
    org._used.update((id(ic), id(g)))
    return cell, ic, g


# rule -> (findings per planted conflict, how to plant one)
PLANTABLE: dict[str, tuple[int, Callable[[_Org, int], str]]] = {
    "XC103": (1, _plant_unconnected),
    "XC201": (1, _plant_overlap),
    "XC202": (1, _plant_reserved),
    "XC204": (2, _plant_mtu),
    "XC302": (1, _plant_hijack),
    "XC303": (1, _plant_nowhere),
    "XC304": (1, _plant_outside_allow_list),
    "XC307": (1, _plant_asn),
    "XC308": (1, _plant_routing_loop),
    "XC401": (1, _plant_dns_loop),
    "XC406": (1, _plant_endpoint_zones),
    "XC501": (1, _role_plant(_no_audience)),
    "XC502": (1, _role_plant(_wildcard_subject)),
    "XC503": (1, _plant_issuer),
    "XC504": (1, _role_plant(_long_session)),
    "XC505": (1, _role_plant(_wildcard_action)),
    "XC506": (1, _plant_wif),
    "XC507": (1, _role_plant(_unregistered_audience)),
    "XC601": (1, _ic_plant(_region_pair)),
    "XC602": (1, _ic_plant(_bandwidth)),
    "XC603": (1, _ic_plant(_critical)),
    "XC604": (1, _ic_plant(_unmonitored)),
    "XC605": (1, _ic_plant(_unprotected)),
}


# ---------------------------------------------------------------- helpers


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


def _sub(net: IPv4, prefix: int, index: int) -> IPv4:
    """The index-th /prefix of net."""
    size = 1 << (32 - prefix)
    return ipaddress.IPv4Network((int(net.network_address) + index * size, prefix))


def _host(vpc: dict, slot: int, offset: int) -> ipaddress.IPv4Address:
    """An address of the VPC's first range: /24 number `slot`, host `offset`."""
    base = ipaddress.IPv4Network(vpc["cidrs"][0])
    return base.network_address + slot * 256 + offset


def _prune(doc: dict[str, Any]) -> dict[str, Any]:
    """Drop empty sections, so a document says only what it declares."""
    for section in ("dns", "trust"):
        if section in doc:
            doc[section] = {k: v for k, v in doc[section].items() if v}
    return {k: v for k, v in doc.items() if v not in ([], {})}
