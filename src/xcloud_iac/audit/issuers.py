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
    ("terraform", re.compile(r"^app\.terraform\.io$")),
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
    "terraform": "HCP Terraform",
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
    if claim == "sub" and issuer.kind == "terraform":
        return f"runs of every HCP Terraform workspace matching '{pattern}' can assume this role"
    if claim == "job_workflow_ref":
        return f"any workflow whose job_workflow_ref matches '{pattern}' can assume this role"
    return f"every subject matching '{pattern}' can assume this role"


def quoted(values) -> str:
    """'a', 'b' for messages."""
    return ", ".join(f"'{v}'" for v in values)


# ---------------------------------------------------------------- how far a subject value reaches

# Exposure of a subject value, widest first. "any": identities of any repository / organisation / namespace (error);
# "repository": every branch, tag or pull request of one repository (warning: pin ref or environment);
# "scoped": the issuer's own documented pattern, bounded to one unit (no finding); "exact": one identity.
ANY, REPOSITORY, SCOPED, EXACT = "any", "repository", "scoped", "exact"

# Claims a GitHub subject template may hold, and which of them name the repository (set by GitHub, not by the
# repository's owner). https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims
_GITHUB_SUB_KEYS = (
    "repo", "repository", "repository_id", "repository_owner", "repository_owner_id", "context", "environment", "ref",
    "ref_type", "ref_protected", "workflow", "workflow_ref", "job_workflow_ref", "job_workflow_sha", "actor",
    "actor_id", "event_name", "head_ref", "base_ref", "runner_environment", "repository_visibility", "enterprise",
    "enterprise_id", "pull_request",
)
_GITHUB_REPO_KEYS = frozenset({"repo", "repository", "repository_id"})
_GITHUB_KEY = re.compile(r"(?:^|:)(" + "|".join(sorted(_GITHUB_SUB_KEYS, key=len, reverse=True)) + r"):")


def github_subject_keys(value: str) -> list[str]:
    """The claim names a GitHub subject value is made of (its template), in order: 'repo:o/r:ref:refs/heads/main'
    -> ['repo', 'ref']; 'workflow:deploy' -> ['workflow']. Values GitHub's default template makes start with
    'repo:'; a repository's owner can change the template to any list of claims."""
    keys = []
    for match in _GITHUB_KEY.finditer(value):
        if match.start(1) == 0 or value[match.start(1) - 1] == ":":
            keys.append(match.group(1))
    return keys


def github_forgeable(value: str) -> bool:
    """A GitHub `sub` value that no claim of the repository scopes: any repository whose owner customises the
    subject template to the same claims (e.g. only `workflow`) gets a token with this `sub`. A `job_workflow_ref`
    pins a reusable workflow at a ref (only jobs running it get that claim), so it scopes the subject too."""
    keys = github_subject_keys(value)
    if not keys:
        return True  # not made by any GitHub template: only a customised one could spell it
    return not (_GITHUB_REPO_KEYS.intersection(keys) or "job_workflow_ref" in keys)


def never_issued(issuer: Issuer, claim: str, value: str) -> str | None:
    """Why no token of the issuer can carry `value` in `claim` (the condition can never be met), or None."""
    if claim == "sub" and issuer.kind in KUBERNETES_KINDS and not value.startswith("system:serviceaccount:"):
        return (
            f"{_LABELS[issuer.kind]} tokens carry 'sub' = system:serviceaccount:<namespace>:<name>, never '{value}'"
        )
    return None


def exposure(issuer: Issuer, claim: str, pattern: str) -> str:
    """How far a wildcard pattern on a subject claim reaches: ANY, REPOSITORY or SCOPED (see above)."""
    if claim == "sub" and issuer.kind == "github":
        match = re.match(r"^repo:([^/:]*)/([^:]*)(?::(.*))?$", pattern)
        if match and not has_wildcard(match.group(1)) and match.group(2) and not has_wildcard(match.group(2)):
            return REPOSITORY  # one repository: any branch, tag, pull request or environment of it
        return ANY
    if claim == "sub" and issuer.kind == "terraform":
        # HCP Terraform's documented pattern: organization:O:project:P:workspace:W:run_phase:* (plan and apply of
        # one workspace)
        match = re.match(r"^organization:([^:]+):project:([^:]+):workspace:([^:]+):run_phase:(.*)$", pattern)
        if match and not any(has_wildcard(g) for g in match.groups()[:3]):
            return SCOPED
        return ANY
    return ANY
