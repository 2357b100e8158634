"""The formats the clouds give their identifiers, checked when a stack is loaded.

A value that `validate` passes must be one the cloud accepts, and must not change the meaning of what it is put in
(a project id is part of resource paths, an account id part of ARNs and trust policies): so account ids are 12 digits
(never `*`), project ids and pool ids follow Google's patterns, a zone belongs to its network's region, a service
account is an email of a service account (never `allUsers`). Each check is one function, used by the models as an
Annotated type; the message names what was expected.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from . import catalog

# AWS: an account id is exactly 12 digits (IAM ARNs, Direct Connect owner accounts, Resolver rule shares).
_AWS_ACCOUNT_RE = re.compile(r"^\d{12}$")
# Google (resourcemanager): 6 to 30 lower-case letters, digits or hyphens, starting with a letter, not ending with a
# hyphen. The same pattern names networks (`networks/<name>` is 1..63 characters) in the Transport's paths.
_GCP_PROJECT_RE = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
# Google (iam.v1 WorkloadIdentityPool / Provider ids): 4 to 32 lower-case letters, digits or hyphens; the prefix
# `gcp-` is reserved by Google.
_GCP_POOL_RE = re.compile(r"^[a-z0-9-]{4,32}$")
# A service account email: <name>@<project>.iam.gserviceaccount.com, or Google's own (e.g. the Compute Engine
# default <number>-compute@developer.gserviceaccount.com, App Engine <project>@appspot.gserviceaccount.com).
_SERVICE_ACCOUNT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}@[a-z0-9][a-z0-9.-]{0,126}\.gserviceaccount\.com$")
# IAM role names: 1..64 of letters, digits and +=,.@_-
_AWS_ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
# EC2 / Direct Connect ids
_AWS_ID_RES = {
    "subnet": re.compile(r"^subnet-[0-9a-f]{8}([0-9a-f]{9})?$"),
    "vpc": re.compile(r"^vpc-[0-9a-f]{8}([0-9a-f]{9})?$"),
    "tgw": re.compile(r"^tgw-[0-9a-f]{8}([0-9a-f]{9})?$"),
    "dxcon": re.compile(r"^dxcon-[0-9a-z]{8}$"),
}
# A Google VPC network name (compute.v1 Network.name, RFC 1035 label).
_GCP_NETWORK_RE = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
# An IAM OIDC provider thumbprint: the SHA-1 of a certificate, 40 hexadecimal digits.
_THUMBPRINT_RE = re.compile(r"^[0-9A-Fa-f]{40}$")
# An IAM action: service:Action, with IAM's wildcards (XC505 judges `*`); IAM matches both parts case-insensitively.
_IAM_ACTION_RE = re.compile(r"^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$")


def _text(value: Any, what: str) -> str:
    """Only a string is an identifier: 123456789012 written without quotes is a number YAML would take as such."""
    if not isinstance(value, str):
        raise ValueError(f"expected {what} as a string (in quotes); got {type(value).__name__} {value!r}")
    return value


def aws_account_id(value: Any) -> str:
    value = _text(value, "an AWS account id")
    if not _AWS_ACCOUNT_RE.match(value):
        raise ValueError(f"{value!r} is not an AWS account id; expected exactly 12 digits, e.g. '111122223333'")
    return value


def gcp_project_id(value: str) -> str:
    if not _GCP_PROJECT_RE.match(value):
        raise ValueError(f"{value!r} is not a Google Cloud project id; expected 6 to 30 lower-case letters, digits "
                         "or '-', starting with a letter and not ending with '-', e.g. 'example-dr-project'")
    return value


def gcp_pool_id(value: str) -> str:
    """A Workload Identity pool or provider id."""
    if not _GCP_POOL_RE.match(value) or value.startswith("gcp-"):
        raise ValueError(f"{value!r} is not a Workload Identity pool or provider id; expected 4 to 32 lower-case "
                         "letters, digits or '-', not starting with 'gcp-' (reserved by Google)")
    return value


def gcp_service_account(value: str) -> str:
    if value in ("allUsers", "allAuthenticatedUsers") or not _SERVICE_ACCOUNT_RE.match(value):
        raise ValueError(f"{value!r} is not a service account; expected its email, e.g. "
                         "'reader@example-project.iam.gserviceaccount.com' (never allUsers or allAuthenticatedUsers)")
    return value


def aws_role_name(value: str) -> str:
    if not _AWS_ROLE_NAME_RE.match(value):
        raise ValueError(f"{value!r} is not an IAM role name; expected 1 to 64 letters, digits or +=,.@_- "
                         "(no wildcards)")
    return value


def gcp_network_name(value: str) -> str:
    if not _GCP_NETWORK_RE.match(value):
        raise ValueError(f"{value!r} is not a Google VPC network name; expected 1 to 63 lower-case letters, digits "
                         "or '-', starting with a letter")
    return value


def aws_id(kind: str):
    """A validator for an EC2 / Direct Connect id of `kind` (subnet, vpc, tgw, dxcon)."""
    pattern = _AWS_ID_RES[kind]

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not a {kind} id; expected {kind}- followed by "
                             f"{'8 letters or digits' if kind == 'dxcon' else '8 or 17 hexadecimal digits'}")
        return value

    return check


def thumbprint(value: str) -> str:
    if not _THUMBPRINT_RE.match(value):
        raise ValueError(f"{value!r} is not a certificate thumbprint; expected 40 hexadecimal digits (SHA-1)")
    return value


def iam_action(value: str) -> str:
    if not _IAM_ACTION_RE.match(value):
        raise ValueError(f"{value!r} is not an IAM action; expected service:Action, e.g. s3:GetObject")
    return value


def zone_in_region(zone: str, region: str, cloud: str) -> str | None:
    """Why `zone` cannot be a zone of `region` (None: it can). AWS zones are the region and a letter (us-east-1a),
    or a Local Zone group of the region (us-east-1-bos-1a); a Google VPC is global, so a subnet names any region
    (europe-west3) or a zone of one (europe-west3-a)."""
    if cloud == "aws":
        if re.fullmatch(rf"{re.escape(region)}[a-z]|{re.escape(region)}-[a-z]+-\d+[a-z]", zone):
            return None
        return f"zone {zone!r} is not in region {region}; expected e.g. {region}a"
    if cloud == "gcp":  # a Google VPC is global and each subnet regional: any region, or a zone of one
        if re.sub(r"-[a-z]$", "", zone) in catalog.GCP_REGIONS:
            return None
        return f"zone {zone!r} is not a Google Cloud region or zone; expected e.g. {region} or {region}-a"
    return None




def _schema(pattern: str, example: str) -> WithJsonSchema:
    """The pattern for editors; the check itself is the function, whose message says what was expected."""
    return WithJsonSchema({"type": "string", "pattern": pattern, "examples": [example]})


AwsAccountId = Annotated[str, BeforeValidator(aws_account_id), _schema(_AWS_ACCOUNT_RE.pattern, "111122223333")]
GcpProjectId = Annotated[str, AfterValidator(gcp_project_id), _schema(_GCP_PROJECT_RE.pattern, "example-dr-project")]
GcpPoolId = Annotated[str, AfterValidator(gcp_pool_id), _schema(_GCP_POOL_RE.pattern, "aws-pool")]
ServiceAccountEmail = Annotated[str, AfterValidator(gcp_service_account),
                                _schema(_SERVICE_ACCOUNT_RE.pattern, "reader@example-project.iam.gserviceaccount.com")]
AwsRoleName = Annotated[str, AfterValidator(aws_role_name), _schema(_AWS_ROLE_NAME_RE.pattern, "orders-api")]
GcpNetworkName = Annotated[str, AfterValidator(gcp_network_name), _schema(_GCP_NETWORK_RE.pattern, "gcp-dr")]
Thumbprint = Annotated[str, AfterValidator(thumbprint), _schema(_THUMBPRINT_RE.pattern, "9e99a48a9960b14926bb7f3b02e22da2b0ab7280")]
IamAction = Annotated[str, AfterValidator(iam_action), _schema(_IAM_ACTION_RE.pattern, "s3:GetObject")]
SubnetId = Annotated[str, AfterValidator(aws_id("subnet")), _schema(_AWS_ID_RES["subnet"].pattern, "subnet-0123abcd")]
VpcId = Annotated[str, AfterValidator(aws_id("vpc")), _schema(_AWS_ID_RES["vpc"].pattern, "vpc-0123abcd")]
TgwId = Annotated[str, AfterValidator(aws_id("tgw")), _schema(_AWS_ID_RES["tgw"].pattern, "tgw-0123abcd")]
DxConnectionId = Annotated[str, AfterValidator(aws_id("dxcon")), _schema(_AWS_ID_RES["dxcon"].pattern, "dxcon-fg5678gh")]
