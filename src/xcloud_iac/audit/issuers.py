"""OIDC issuers as trust policies name them, and what their claims mean.

IAM names an issuer three ways: the OIDC provider ARN in `Principal.Federated`
(`arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`), the issuer host and path as the
prefix of condition keys (`token.actions.githubusercontent.com:sub`), and (in documents not yet created in IAM, or
built-in web identity providers) a URL or bare host. All three reduce to the same `host_path`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KUBERNETES_KINDS = frozenset({"gke", "eks", "alibaba", "tencent", "kubernetes"})

# host_path patterns -> issuer kind. Kubernetes-style issuers sign service-account tokens whose 'sub' is
# system:serviceaccount:<namespace>:<name>.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("github", re.compile(r"^token\.actions\.githubusercontent\.com(/[^/]+)?$|^[^/]+/_services/token$")),
    ("gke", re.compile(r"^container\.googleapis\.com/v1/projects/[^/]+/(locations|zones)/[^/]+/clusters/[^/]+$")),
    ("eks", re.compile(r"^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/id/[A-Za-z0-9]+$")),
    ("alibaba", re.compile(r"^oidc-ack\.[a-z0-9-]+\.aliyuncs\.com/.+$")),
    ("tencent", re.compile(r"^[^/]*\.(tencentcloudapi\.com|tencentcs\.com|tencent-cloud\.com|qcloud\.com)(/.*)?$")),
    ("google", re.compile(r"^accounts\.google\.com$")),
    ("cognito", re.compile(r"^cognito-identity\.amazonaws\.com$")),
)

_LABELS = {
    "github": "GitHub Actions",
    "gke": "GKE cluster",
    "eks": "EKS cluster",
    "alibaba": "Alibaba Cloud ACK cluster",
    "tencent": "Tencent Cloud TKE cluster",
    "kubernetes": "Kubernetes cluster",
    "google": "Google accounts",
    "cognito": "Amazon Cognito identity pools",
    "generic": "OIDC issuer",
}


@dataclass(frozen=True)
class Issuer:
    raw: str  # as written in the policy
    host_path: str  # what condition keys start with; "" when it cannot be told
    scheme: str  # "https" for provider ARNs and bare hosts
    kind: str

    @property
    def label(self) -> str:
        return f"{_LABELS[self.kind]} {self.host_path}" if self.kind != "generic" else self.host_path

    @property
    def identified(self) -> bool:
        return bool(self.host_path) and "*" not in self.host_path and "?" not in self.host_path


def normalise(issuer: str) -> str:
    """An issuer URL, ARN or host path as the comparable host path: no scheme, no trailing slash, lower-case host."""
    text = issuer.strip()
    if text.startswith("arn:") and "oidc-provider/" in text:
        text = text.split("oidc-provider/", 1)[1]
    text = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", text).rstrip("/")
    host, _, path = text.partition("/")
    return host.lower() + (f"/{path}" if path else "")


def kind_of(host_path: str) -> str:
    return next((kind for kind, pattern in _KINDS if pattern.match(host_path)), "generic")


def parse_federated(value: str) -> Issuer | None:
    """The issuer a `Principal.Federated` entry names, or None for a SAML provider (not an OIDC issuer)."""
    text = value.strip()
    scheme = "https"
    if text.startswith("arn:"):
        resource = text.split(":", 5)[5] if text.count(":") >= 5 else ""
        if resource.startswith("saml-provider/"):
            return None
        host_path = resource.removeprefix("oidc-provider/") if resource.startswith("oidc-provider/") else ""
    elif "://" in text:
        scheme, host_path = text.split("://", 1)
        scheme = scheme.lower()
    else:
        host_path = text
    host_path = normalise(host_path) if host_path else ""
    return Issuer(value, host_path, scheme, kind_of(host_path))


def declared(url: str, kind: str) -> Issuer:
    """An issuer a stack declares: its URL, and the kind its host shows - else the kind the stack gives it (a
    self-hosted Kubernetes cluster's host shows nothing)."""
    issuer = parse_federated(url) or Issuer(url, "", "", "generic")  # None: a SAML provider ARN, not a URL at all
    if issuer.kind == "generic" and kind in _LABELS:
        return Issuer(issuer.raw, issuer.host_path, issuer.scheme, kind)
    return issuer


def has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def iam_like(pattern: str, value: str) -> bool:
    """IAM's StringLike: `*` matches any run of characters, `?` any one character, everything else itself."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def anyone_phrase(issuer: Issuer) -> str:
    """Who can assume a role when the subject is not constrained at all."""
    if issuer.kind == "github":
        return "any workflow in any repository of the issuer can assume this role"
    if issuer.kind in KUBERNETES_KINDS:
        return "any service account in any namespace of the cluster can assume this role"
    if issuer.kind == "google":
        return "any Google identity with a token for the audience can assume this role"
    if issuer.kind == "cognito":
        return "any identity of the identity pool, authenticated or not, can assume this role"
    return "any identity the issuer signs a token for can assume this role"


def explain_subject_pattern(issuer: Issuer, claim: str, pattern: str) -> str:
    """What a wildcard pattern on a subject claim lets in, in the words a reviewer would use."""
    if pattern.strip("*?") == "":
        return f"'{claim}' matches anything: " + anyone_phrase(issuer)
    if claim == "sub" and issuer.kind in KUBERNETES_KINDS:
        parts = pattern.split(":")
        if parts[:2] == ["system", "serviceaccount"]:
            ns = parts[2] if len(parts) > 2 else "*"
            sa = ":".join(parts[3:]) if len(parts) > 3 else "*"
            if has_wildcard(ns):
                return (
                    "any service account in any namespace of the cluster can assume this role"
                    if ns == "*" else f"service accounts in every namespace matching '{ns}' can assume this role"
                )
            if sa == "*":
                return f"any service account in namespace '{ns}' can assume this role"
            return f"service accounts in namespace '{ns}' matching '{sa}' can assume this role"
    if claim == "sub" and issuer.kind == "github":
        match = re.match(r"^repo:([^/:]*)/?([^:]*)(?::(.*))?$", pattern)
        if match:
            org, repo, context = match.groups()
            if org == "*":
                return "any workflow in any repository of any organisation or user can assume this role"
            if has_wildcard(org):
                return f"any workflow in any repository of any organisation matching '{org}' can assume this role"
            if not repo or has_wildcard(repo):
                where = (
                    f"any repository of '{org}'" if repo in ("", "*")
                    else f"every repository of '{org}' matching '{repo}'"
                )
                return f"any workflow in {where} can assume this role"
            if context is None or context == "*":
                return (
                    f"any workflow of '{org}/{repo}' on any branch, tag, pull request or environment can assume this role"
                )
            return f"workflows of '{org}/{repo}' matching '{context}' (any of them, not one) can assume this role"
    if claim == "job_workflow_ref":
        return f"any workflow whose job_workflow_ref matches '{pattern}' can assume this role"
    return f"every subject matching '{pattern}' can assume this role"


def quoted(values) -> str:
    """'a', 'b' for messages."""
    return ", ".join(f"'{v}'" for v in values)
