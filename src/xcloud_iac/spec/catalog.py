"""Provider facts the spec and the checks rely on: regions, offered pairs, bandwidths, reserved ranges, limits.

Keep every value here, with where it comes from, so a change in the providers' offer is a one-line change.
"""

from __future__ import annotations

import ipaddress
import re

# AWS commercial regions (ec2 describe-regions, 2026). Used to reject typos as input errors.
AWS_REGIONS = frozenset(
    """
    us-east-1 us-east-2 us-west-1 us-west-2 af-south-1 ap-east-1 ap-east-2 ap-south-1 ap-south-2 ap-southeast-1
    ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-7 ap-northeast-1 ap-northeast-2
    ap-northeast-3 ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-west-1 eu-west-2 eu-west-3 eu-south-1
    eu-south-2 eu-north-1 il-central-1 me-south-1 me-central-1 mx-central-1 sa-east-1
    """.split()
)

# Google Cloud regions (gcloud compute regions list, 2026).
GCP_REGIONS = frozenset(
    """
    africa-south1 asia-east1 asia-east2 asia-northeast1 asia-northeast2 asia-northeast3 asia-south1 asia-south2
    asia-southeast1 asia-southeast2 australia-southeast1 australia-southeast2 europe-central2 europe-north1
    europe-north2 europe-southwest1 europe-west1 europe-west2 europe-west3 europe-west4 europe-west6 europe-west8
    europe-west9 europe-west10 europe-west12 me-central1 me-central2 me-west1 northamerica-northeast1
    northamerica-northeast2 northamerica-south1 southamerica-east1 southamerica-west1 us-central1 us-east1 us-east4
    us-east5 us-south1 us-west1 us-west2 us-west3 us-west4
    """.split()
)

# AWS Interconnect - multicloud with Google Cloud at GA (April 2026): the AWS region and its Google partner region.
INTERCONNECT_REGION_PAIRS: dict[str, str] = {
    "us-east-1": "us-east4",
    "us-west-1": "us-west2",
    "us-west-2": "us-west1",
    "eu-west-2": "europe-west2",
    "eu-central-1": "europe-west3",
}

# Offered bandwidths, in bits per second, with the spelling each side's API expects.
# Offered on both sides: Google's Transport bandwidth enum (networkconnectivity v1: BPS_50M..BPS_100G, no 25G) and
# AWS Interconnect - multicloud's bandwidths.
_BANDWIDTHS_MBPS = (50, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000)


def aws_bandwidth(bps: int) -> str:
    """AWS spelling: 500Mbps, 1Gbps, 100Gbps."""
    mbps = bps // 1_000_000
    return f"{mbps // 1000}Gbps" if mbps >= 1000 and mbps % 1000 == 0 else f"{mbps}Mbps"


def gcp_bandwidth(bps: int) -> str:
    """Google spelling: BPS_500M, BPS_1G, BPS_100G."""
    mbps = bps // 1_000_000
    return f"BPS_{mbps // 1000}G" if mbps >= 1000 and mbps % 1000 == 0 else f"BPS_{mbps}M"


OFFERED_BANDWIDTHS: frozenset[int] = frozenset(m * 1_000_000 for m in _BANDWIDTHS_MBPS)
OFFERED_BANDWIDTH_NAMES = tuple(aws_bandwidth(m * 1_000_000) for m in _BANDWIDTHS_MBPS)

_BANDWIDTH_RE = re.compile(r"^(?:BPS_)?(\d+(?:\.\d+)?)\s*([MG])(?:bps|BPS|b/s)?$", re.IGNORECASE)


def parse_bandwidth(text: str) -> int | None:
    """Bits per second for either side's spelling ("1Gbps", "500 Mbps", "BPS_1G"), or None if unparseable."""
    match = _BANDWIDTH_RE.match(text.strip())
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2).upper()
    return int(value * (1_000_000_000 if unit == "G" else 1_000_000))


# Ranges a customer network must not use (XC202), with why.
RESERVED_RANGES: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(cidr), why)
    for cidr, why in (
        ("0.0.0.0/8", "'this network' (RFC 1122)"),
        ("35.191.0.0/16", "Google Cloud health-check sources"),
        ("130.211.0.0/22", "Google Cloud health-check sources"),
        ("35.199.192.0/19", "Google Cloud DNS forwarding and inbound-policy sources"),
        ("199.36.153.4/30", "restricted.googleapis.com (Private Google Access)"),
        ("199.36.153.8/30", "private.googleapis.com (Private Google Access)"),
        ("169.254.0.0/16", "link-local (instance metadata, BGP peering addresses)"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved (class E)"),
        ("127.0.0.0/8", "loopback"),
        ("fe80::/10", "IPv6 link-local"),
        ("ff00::/8", "IPv6 multicast"),
    )
)

# The source range of Cloud DNS forwarding to private targets (needs a return path, XC404).
CLOUD_DNS_FORWARDING_SOURCE = ipaddress.ip_network("35.199.192.0/19")

# Provider limits (XC305). Service quotas pages of AWS Direct Connect, Transit Gateway and Google Cloud Router.
LIMIT_DXGW_ALLOWED_PREFIXES = 200  # allowed prefixes per Direct Connect gateway association to a transit gateway
LIMIT_TGW_ROUTES_PER_TABLE = 10_000  # routes per transit gateway route table
LIMIT_BGP_PREFIXES_PER_SESSION = 100  # prefixes AWS accepts on one BGP session of a transit VIF
LIMIT_VPC_ROUTES_PER_TABLE = 1_000  # non-propagated routes per VPC route table: the most the quota goes
DEFAULT_VPC_ROUTES_PER_TABLE = 50  # the 'Routes per route table' quota until it is raised
LIMIT_GCP_LEARNED_PREFIXES = 250  # unique dynamic prefixes a VPC network learns per region (default quota)

# ASNs that must not be used for a customer hub or gateway (XC307).
RESERVED_ASNS = {
    0: "reserved (RFC 7607)",
    7224: "Amazon",
    9059: "Amazon",
    10124: "Amazon",
    17943: "Amazon",
    16550: "Google Cloud partner interconnect",
    15169: "Google",
    23456: "AS_TRANS (RFC 6793)",
    65535: "reserved (RFC 7300)",
    4294967295: "reserved (RFC 7300)",
}
PRIVATE_ASN_RANGES = ((64512, 65534), (4_200_000_000, 4_294_967_294))


def is_private_asn(asn: int) -> bool:
    return any(lo <= asn <= hi for lo, hi in PRIVATE_ASN_RANGES)


# Every rule id of the catalogue (docs/rules.md). The spec checks waivers against it (a waiver for an unknown rule is
# an input error) without importing the checks; the rule registry refuses an id that is not listed here.
RULE_IDS = frozenset(
    f"XC{n}" for n in (
        *range(101, 104), *range(201, 205), *range(301, 311), *range(401, 408), *range(501, 509), *range(601, 607),
        *range(700, 713), *range(720, 731), *range(801, 811), 830,
    )
)

# Maximum AWS role session the checks allow without a waiver (XC504), in seconds.
MAX_SESSION_SECONDS = 3600
# IAM's bounds for a role's MaxSessionDuration (CreateRole; AWS::IAM::Role MaxSessionDuration 3600..43200).
# 900 s is the shortest session a caller may request (AssumeRole DurationSeconds), not a role's maximum.
IAM_ROLE_MIN_SESSION, IAM_ROLE_MAX_SESSION = 3600, 43200

# Default MTU of a network by cloud when the spec does not set one (AWS VPC jumbo, Google VPC default).
DEFAULT_MTU = {"aws": 9001, "gcp": 1460}
TGW_MAX_MTU = 8500  # transit gateway and Direct Connect jumbo frames
